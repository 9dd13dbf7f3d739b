import { cohenKappa } from "@/lib/labelling/agreement";

/**
 * Judge calibration: where humans (a labelling queue) and a judge scored the same inferences on
 * the same metric, how far they agree, per judge version. Each human label is paired with the
 * judge's score of that inference (the newest from that judge version). Both sides become
 * pass/fail for Cohen's kappa and the confusion table — a human boolean as is, a human score 1–5
 * as pass from 3 up (normalised (v − 1) / 4 ≥ 0.5), a judge score (0–1) as pass from its
 * threshold — and Pearson's r is taken on the numbers (boolean 0/1, score normalised, judge score).
 */

export interface CalibrationPair {
  metric: string;
  judgeVersion: string;
  inferenceId: string;
  /** The human's value normalised to 0–1 (boolean 0/1; score (v − 1) / 4). */
  human: number;
  judge: number;
  /** When the judge version first scored (epoch ms): orders versions. */
  judgedAt: number;
}

export interface Confusion {
  /** Rows: human; columns: judge. */
  bothPass: number;
  humanPassJudgeFail: number;
  humanFailJudgePass: number;
  bothFail: number;
}

export interface VersionAgreement {
  metric: string;
  judgeVersion: string;
  pairs: number;
  kappa: number | null;
  observed: number | null;
  correlation: number | null;
  confusion: Confusion;
  firstSeen: number;
  /** Why this version is flagged (agreement dropped), or null. */
  flag: string | null;
}

/** Below this many pairs a version is reported but never flagged. */
export const MIN_PAIRS_TO_FLAG = 10;
/** Flag a version whose kappa is this much below the previous version's, or below the floor. */
export const KAPPA_DROP = 0.2;
export const KAPPA_FLOOR = 0.4;

export function pearson(xs: number[], ys: number[]): number | null {
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

export function agreementOf(
  pairs: CalibrationPair[],
  threshold = 0.5,
): Omit<VersionAgreement, "metric" | "judgeVersion" | "firstSeen" | "flag"> {
  const verdicts = pairs.map((p) => [p.human >= 0.5, p.judge >= threshold] as [boolean, boolean]);
  const kappa = cohenKappa(verdicts);
  const confusion: Confusion = { bothPass: 0, humanPassJudgeFail: 0, humanFailJudgePass: 0, bothFail: 0 };
  for (const [h, j] of verdicts) {
    if (h && j) confusion.bothPass++;
    else if (h) confusion.humanPassJudgeFail++;
    else if (j) confusion.humanFailJudgePass++;
    else confusion.bothFail++;
  }
  return {
    pairs: pairs.length,
    kappa: kappa.kappa,
    observed: kappa.observed,
    correlation: pearson(
      pairs.map((p) => p.human),
      pairs.map((p) => p.judge),
    ),
    confusion,
  };
}

/**
 * Agreement per (metric, judge version), versions in the order they first scored; a version is
 * flagged when, with enough pairs, its kappa falls below the floor or more than KAPPA_DROP below
 * the previous version's.
 */
export function calibrate(pairs: CalibrationPair[], thresholds: Record<string, number> = {}): VersionAgreement[] {
  const groups = new Map<string, CalibrationPair[]>();
  for (const p of pairs) {
    const key = JSON.stringify([p.metric, p.judgeVersion]);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const rows = [...groups.values()].map((group) => ({
    metric: group[0]!.metric,
    judgeVersion: group[0]!.judgeVersion,
    firstSeen: Math.min(...group.map((p) => p.judgedAt)),
    flag: null as string | null,
    ...agreementOf(group, thresholds[group[0]!.metric]),
  }));
  rows.sort((a, b) => a.metric.localeCompare(b.metric) || a.firstSeen - b.firstSeen);
  let previous: VersionAgreement | undefined;
  for (const row of rows) {
    if (previous?.metric !== row.metric) previous = undefined;
    if (row.pairs >= MIN_PAIRS_TO_FLAG && row.kappa !== null) {
      if (previous?.kappa !== null && previous !== undefined && previous.kappa - row.kappa > KAPPA_DROP)
        row.flag = `agreement dropped: kappa ${row.kappa.toFixed(2)} vs ${previous.kappa.toFixed(2)} for ${previous.judgeVersion}`;
      else if (row.kappa < KAPPA_FLOOR) row.flag = `low agreement: kappa ${row.kappa.toFixed(2)} (below ${KAPPA_FLOOR})`;
    }
    previous = row;
  }
  return rows;
}
