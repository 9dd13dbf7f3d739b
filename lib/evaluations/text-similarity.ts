/**
 * ROUGE scores over lower-cased word tokens. Hand-written (a dozen lines each) because the npm
 * packages for them are unmaintained; promptfoo's rouge-n is ROUGE-1 recall of the reference's
 * words, and ROUGE-L here is the LCS F-measure (β = 1), as in Lin (2004).
 */

const tokens = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** ROUGE-N recall: the share of the reference's n-grams found in the candidate (clipped counts). */
export function rougeN(candidate: string, reference: string, n = 1): number {
  const grams = (words: string[]) => {
    const counts = new Map<string, number>();
    for (let i = 0; i + n <= words.length; i++) {
      const g = words.slice(i, i + n).join(" ");
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
    return counts;
  };
  const ref = grams(tokens(reference));
  const cand = grams(tokens(candidate));
  let total = 0;
  let hits = 0;
  for (const [g, count] of ref) {
    total += count;
    hits += Math.min(count, cand.get(g) ?? 0);
  }
  return total ? hits / total : 0;
}

/** ROUGE-L F-measure from the longest common subsequence of words. */
export function rougeL(candidate: string, reference: string): number {
  const a = tokens(candidate);
  const b = tokens(reference);
  if (!a.length || !b.length) return 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  for (const word of a) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) row[j] = word === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    prev = row;
  }
  const lcs = prev[b.length]!;
  if (!lcs) return 0;
  const precision = lcs / a.length;
  const recall = lcs / b.length;
  return (2 * precision * recall) / (precision + recall);
}
