/**
 * Inter-reviewer agreement on categorical labels (booleans, scores 1–5 taken as categories, and
 * categories). Cohen's kappa when the same two reviewers rated every item; Fleiss' kappa when each
 * item has the same number of ratings from possibly different reviewers. Kappa is null when it is
 * undefined (chance agreement is 1: every rating in one category).
 */

export interface Kappa {
  kappa: number | null;
  /** Observed agreement (Cohen: p_o; Fleiss: mean P_i). */
  observed: number | null;
  /** Agreement expected by chance (p_e). */
  expected: number | null;
  items: number;
}

const ratio = (observed: number, expected: number) => (expected >= 1 ? null : (observed - expected) / (1 - expected));

/** Cohen's kappa over pairs (rating of reviewer A, rating of reviewer B), one per item. */
export function cohenKappa<T>(pairs: [T, T][]): Kappa {
  const n = pairs.length;
  if (n === 0) return { kappa: null, observed: null, expected: null, items: 0 };
  const a = new Map<T, number>();
  const b = new Map<T, number>();
  let agree = 0;
  for (const [x, y] of pairs) {
    if (x === y) agree++;
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
  }
  const observed = agree / n;
  let expected = 0;
  for (const [category, count] of a) expected += (count / n) * ((b.get(category) ?? 0) / n);
  return { kappa: ratio(observed, expected), observed, expected, items: n };
}

/**
 * Fleiss' kappa from a subjects × categories table of counts: `counts[i][j]` raters put subject i
 * in category j. Every subject must have the same number of ratings (at least 2).
 */
export function fleissKappa(counts: number[][]): Kappa {
  const subjects = counts.length;
  if (subjects === 0) return { kappa: null, observed: null, expected: null, items: 0 };
  const raters = counts[0]!.reduce((s, c) => s + c, 0);
  if (raters < 2) throw new Error("Fleiss' kappa needs at least 2 ratings per item");
  const categories = counts[0]!.length;
  const totals = new Array<number>(categories).fill(0);
  let sumP = 0;
  for (const row of counts) {
    const n = row.reduce((s, c) => s + c, 0);
    if (n !== raters || row.length !== categories)
      throw new Error("Fleiss' kappa needs the same number of ratings and categories for every item");
    row.forEach((c, j) => (totals[j]! += c));
    sumP += (row.reduce((s, c) => s + c * c, 0) - raters) / (raters * (raters - 1));
  }
  const observed = sumP / subjects;
  const expected = totals.reduce((s, t) => s + (t / (subjects * raters)) ** 2, 0);
  return { kappa: ratio(observed, expected), observed, expected, items: subjects };
}

export interface Rating {
  item: number;
  reviewer: string;
  value: string;
}

export interface FieldAgreement extends Kappa {
  method: "cohen" | "fleiss";
  raters: number;
}

/**
 * Agreement for one field of an overlapped queue: items with exactly `overlap` ratings count.
 * Cohen's kappa if those ratings come from exactly two reviewers, Fleiss' otherwise. Undefined
 * (null) with fewer than two such items or an overlap of 1.
 */
export function fieldAgreement(ratings: Rating[], overlap: number): FieldAgreement | null {
  if (overlap < 2) return null;
  const byItem = new Map<number, Rating[]>();
  for (const r of ratings) byItem.set(r.item, [...(byItem.get(r.item) ?? []), r]);
  const complete = [...byItem.values()].filter((rs) => rs.length === overlap);
  if (complete.length < 2) return null;
  const reviewers = [...new Set(complete.flat().map((r) => r.reviewer))].sort();
  if (overlap === 2 && reviewers.length === 2) {
    const pairs = complete.map((rs) => {
      const byReviewer = new Map(rs.map((r) => [r.reviewer, r.value]));
      return [byReviewer.get(reviewers[0]!)!, byReviewer.get(reviewers[1]!)!] as [string, string];
    });
    return { ...cohenKappa(pairs), method: "cohen", raters: 2 };
  }
  const categories = [...new Set(complete.flat().map((r) => r.value))].sort();
  const table = complete.map((rs) => categories.map((c) => rs.filter((r) => r.value === c).length));
  return { ...fleissKappa(table), method: "fleiss", raters: reviewers.length };
}
