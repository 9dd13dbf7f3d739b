import { mcnemar, pairedTTest } from "@/lib/stats/paired";
import type { CandidateSummary } from "./schemas";
import type { ScoredItem } from "./summary";

/**
 * Comparison of arms (a run's candidate) on one dataset version against the first arm, the
 * baseline: per evaluator the paired per-item difference of scores (paired t-test) and of passes
 * (McNemar, Newcombe's interval), over the (item, repetition) pairs both arms finished; and the
 * items that passed in the baseline and fail now (regressions) or the reverse (improvements).
 */

export interface Arm {
  runId: string;
  candidate: string;
  label: string;
  summary: CandidateSummary;
  items: ScoredItem[];
}

export interface EvaluatorComparison {
  evaluator: string;
  pairs: number;
  meanDiff: number | null;
  meanDiffCi: [number, number] | null;
  tPValue: number | null;
  passDiff: number | null;
  passDiffCi: [number, number] | null;
  mcnemarPValue: number | null;
  regressions: number;
  improvements: number;
  /** A significant (p < alpha) drop in mean score or in pass rate. */
  significantRegression: boolean;
}

export interface ArmComparison {
  arm: string;
  pairs: number;
  evaluators: EvaluatorComparison[];
  overall: {
    passDiff: number | null;
    passDiffCi: [number, number] | null;
    pValue: number | null;
    regressions: number[];
    improvements: number[];
  };
}

const key = (i: ScoredItem) => `${i.position}:${i.repetition}`;

export function compareArms(baseline: Arm, other: Arm, alpha = 0.05): ArmComparison {
  const base = new Map(baseline.items.filter((i) => i.status === "done").map((i) => [key(i), i]));
  const pairs = other.items.filter((i) => i.status === "done" && base.has(key(i))).map((i) => [base.get(key(i))!, i] as const);
  pairs.sort(([a], [b]) => a.position - b.position || a.repetition - b.repetition);
  const names = [...new Set(pairs.flatMap(([a, b]) => Object.keys(a.scores).filter((n) => n in b.scores)))].sort();
  const evaluators = names.map((evaluator): EvaluatorComparison => {
    const both = pairs.filter(
      ([a, b]) =>
        a.scores[evaluator]?.error === undefined && b.scores[evaluator]?.error === undefined && a.scores[evaluator] && b.scores[evaluator],
    );
    const t = pairedTTest(
      both.map(([a, b]) => b.scores[evaluator]!.score - a.scores[evaluator]!.score),
      alpha,
    );
    const m = mcnemar(
      both.map(([a]) => a.scores[evaluator]!.pass),
      both.map(([, b]) => b.scores[evaluator]!.pass),
      alpha,
    );
    // Pass/fail evaluators (scores all 0 or 1) are judged by McNemar; graded ones by the paired t-test.
    const binary = both.every(([a, b]) => [0, 1].includes(a.scores[evaluator]!.score) && [0, 1].includes(b.scores[evaluator]!.score));
    const significantRegression = binary ? Boolean(m && m.diff < 0 && m.pValue < alpha) : Boolean(t && t.meanDiff < 0 && t.pValue < alpha);
    return {
      evaluator,
      pairs: both.length,
      meanDiff: t?.meanDiff ?? (both.length === 1 ? both[0]![1].scores[evaluator]!.score - both[0]![0].scores[evaluator]!.score : null),
      meanDiffCi: t?.ci ?? null,
      tPValue: t?.pValue ?? null,
      passDiff: m?.diff ?? null,
      passDiffCi: m?.ci ?? null,
      mcnemarPValue: m?.pValue ?? null,
      regressions: m?.onlyA ?? 0,
      improvements: m?.onlyB ?? 0,
      significantRegression,
    };
  });
  const overall = mcnemar(
    pairs.map(([a]) => a.passed === true),
    pairs.map(([, b]) => b.passed === true),
    alpha,
  );
  return {
    arm: other.label,
    pairs: pairs.length,
    evaluators,
    overall: {
      passDiff: overall?.diff ?? null,
      passDiffCi: overall?.ci ?? null,
      pValue: overall?.pValue ?? null,
      regressions: [...new Set(pairs.filter(([a, b]) => a.passed && !b.passed).map(([a]) => a.position))],
      improvements: [...new Set(pairs.filter(([a, b]) => !a.passed && b.passed).map(([a]) => a.position))],
    },
  };
}
