import type { StoredScore, StoredThreshold } from "@/db/schema/evaluations";
import { meanInterval, wilsonInterval } from "@/lib/stats/fixed-horizon";
import type { CandidateSummary, EvaluatorSummary } from "./schemas";

/** One finished unit of work, as the summary and the comparison read it. */
export interface ScoredItem {
  candidate: string;
  position: number;
  repetition: number;
  status: string;
  scores: Record<string, StoredScore>;
  passed: boolean | null;
  cost: number | null;
  latencyMs: number | null;
}

function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function summarise(values: StoredScore[]): EvaluatorSummary {
  const ok = values.filter((v) => v.error === undefined);
  const n = ok.length;
  const mean = n ? ok.reduce((s, v) => s + v.score, 0) / n : null;
  const variance = n > 1 ? ok.reduce((s, v) => s + (v.score - mean!) ** 2, 0) / (n - 1) : 0;
  const passes = values.filter((v) => v.pass).length;
  return {
    n,
    errors: values.length - n,
    mean,
    meanCi: mean === null ? null : (meanInterval({ n, mean, variance }) ?? null),
    passRate: values.length ? passes / values.length : null,
    passCi: wilsonInterval({ n: values.length, successes: passes }) ?? null,
  };
}

/** Per candidate: pass rate, cost, latency p50/p95 and each evaluator's mean and pass rate with 95% intervals. */
export function summariseRun(candidates: string[], items: ScoredItem[]): CandidateSummary[] {
  return candidates.map((candidate) => {
    const mine = items.filter((i) => i.candidate === candidate && (i.status === "done" || i.status === "error"));
    const done = mine.filter((i) => i.status === "done");
    const byEvaluator = new Map<string, StoredScore[]>();
    for (const item of done) {
      for (const [name, score] of Object.entries(item.scores)) {
        const list = byEvaluator.get(name);
        if (list) list.push(score);
        else byEvaluator.set(name, [score]);
      }
    }
    const latencies = done.map((i) => i.latencyMs ?? 0).sort((a, b) => a - b);
    const costs = done.map((i) => i.cost ?? 0);
    const passes = done.filter((i) => i.passed).length;
    return {
      candidate,
      done: done.length,
      errors: mine.length - done.length,
      passRate: mine.length ? passes / mine.length : null,
      passCi: wilsonInterval({ n: mine.length, successes: passes }) ?? null,
      cost: { mean: costs.length ? costs.reduce((s, c) => s + c, 0) / costs.length : null, total: costs.reduce((s, c) => s + c, 0) },
      latency: { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95) },
      evaluators: Object.fromEntries([...byEvaluator].map(([name, values]) => [name, summarise(values)])),
    };
  });
}

/** Each threshold checked on each candidate (`pass_rate` of the run's pass when the evaluator is `*`). */
export function checkThresholds(summary: CandidateSummary[], thresholds: StoredThreshold[]) {
  return thresholds.flatMap((t) =>
    summary.map((c) => {
      const e = c.evaluators[t.evaluator];
      const actual = t.evaluator === "*" ? c.passRate : t.stat === "mean" ? (e?.mean ?? null) : (e?.passRate ?? null);
      const pass = actual !== null && (t.op === ">=" ? actual >= t.value : actual <= t.value);
      return { ...t, candidate: c.candidate, actual, pass };
    }),
  );
}

/** MLflow 3 genai.evaluate's metric names: `<scorer>/mean` per evaluator, plus cost and latency. */
export function mlflowMetrics(c: CandidateSummary): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [name, e] of Object.entries(c.evaluators)) {
    if (e.mean !== null) metrics[`${name}/mean`] = e.mean;
    if (e.passRate !== null) metrics[`${name}/pass_rate`] = e.passRate;
  }
  if (c.passRate !== null) metrics.pass_rate = c.passRate;
  if (c.cost.mean !== null) metrics["cost/mean"] = c.cost.mean;
  metrics["cost/total"] = c.cost.total;
  if (c.latency.p50 !== null) metrics["latency_ms/p50"] = c.latency.p50;
  if (c.latency.p95 !== null) metrics["latency_ms/p95"] = c.latency.p95;
  return metrics;
}
