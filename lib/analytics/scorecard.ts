import { DEFAULT_MIN_SAMPLES } from "@/lib/stats/ab-test";
import { effectText, scaleOf } from "@/lib/stats/effect";
import type { Interval } from "@/lib/stats/fixed-horizon";
import {
  alwaysValidLift,
  alwaysValidRateDifference,
  histogramQuantile,
  meanEstimate,
  type Estimate,
  type GuardrailComparison,
} from "@/lib/stats/guardrail-intervals";
import type { AbReport, ScorecardCell, ScorecardRow } from "./ab-schema";

/**
 * The A/B scorecard: the chosen metric, every other metric of the function, and the guardrails
 * (cost per request, latency p50/p95, error rate) for each variant against the control, each with
 * its always-valid interval, and a warning in the headline when a winner is worse on one of them.
 */

/** Per variant over the experiment's window, from the hourly rollup (guardrailTotals in ab-queries.server.ts). */
export interface GuardrailTotals {
  variant: string;
  requests: number;
  errors: number;
  costSum: number;
  costSumSq: number;
  /** Latency histogram: (bin value in ms, count). */
  latency: [number, number][];
}

const status = (optimize: "max" | "min", ci: Interval): ScorecardCell["status"] => {
  if (ci[0] > 0) return optimize === "max" ? "better" : "worse";
  if (ci[1] < 0) return optimize === "max" ? "worse" : "better";
  return "unclear";
};

const cell = (variant: string, n: number, value: number | null, rest: Partial<ScorecardCell> = {}): ScorecardCell => ({
  variant,
  n,
  value,
  effect: null,
  low: null,
  high: null,
  status: "too-little-data",
  ...rest,
});

/** A metric's row from its A/B report: the sequential estimate and interval of its own design, as its verdict reads them. */
export function metricRow(report: AbReport, group: "primary" | "metric"): ScorecardRow {
  const control = report.variants.find((v) => v.isControl);
  const controlEstimate = control?.estimate ?? null;
  return {
    key: `metric:${report.metric.name}`,
    label: report.metric.name,
    group,
    optimize: report.metric.optimize,
    valueUnit: report.metric.type === "boolean" ? "percent" : "none",
    scale: scaleOf(report.metric.type, controlEstimate),
    design: report.design.kind,
    controlEstimate,
    cells: report.variants.map((v) => {
      if (v.isControl) return cell(v.name, v.n, v.estimate, { status: "control" });
      if (v.verdict === null || v.verdict === "collecting" || v.sequentialCiLow === null || v.sequentialCiHigh === null) {
        return cell(v.name, v.n, v.estimate);
      }
      const effect = v.sequentialEstimate ?? v.diff;
      return cell(v.name, v.n, v.estimate, {
        effect,
        low: v.sequentialCiLow,
        high: v.sequentialCiHigh,
        status: v.verdict === "winner" ? "better" : v.verdict === "loser" ? "worse" : "unclear",
      });
    }),
  };
}

type Guardrail = {
  key: string;
  label: string;
  valueUnit: ScorecardRow["valueUnit"];
  scale: "lift" | "pp";
  estimate: (t: GuardrailTotals) => Estimate | undefined;
  compare: (c: GuardrailTotals, t: GuardrailTotals, ce: Estimate, te: Estimate, alpha: number) => GuardrailComparison | undefined;
};

const lift: Guardrail["compare"] = (_c, _t, ce, te, alpha) => alwaysValidLift(ce, te, alpha);
/** Latency bins are 3% wide (1.03^b ms, db/clickhouse/0004): differences within a bin are not evidence. */
const LATENCY_BIN = 0.03;
const quantile = (q: number) => (t: GuardrailTotals) => histogramQuantile(t.latency, q, { resolution: LATENCY_BIN });

const GUARDRAILS: Guardrail[] = [
  {
    key: "cost",
    label: "cost per request",
    valueUnit: "usd",
    scale: "lift",
    estimate: (t) => meanEstimate(t.requests, t.costSum, t.costSumSq),
    compare: lift,
  },
  { key: "latency_p50", label: "latency p50", valueUnit: "ms", scale: "lift", estimate: quantile(0.5), compare: lift },
  { key: "latency_p95", label: "latency p95", valueUnit: "ms", scale: "lift", estimate: quantile(0.95), compare: lift },
  {
    key: "error_rate",
    label: "error rate",
    valueUnit: "percent",
    scale: "pp",
    estimate: (t) => (t.requests > 0 ? { n: t.requests, value: t.errors / t.requests, se: 0 } : undefined),
    compare: (c, t, _ce, _te, alpha) =>
      alwaysValidRateDifference({ n: c.requests, successes: c.errors }, { n: t.requests, successes: t.errors }, alpha),
  },
];

/** Guardrail rows (lower is better on each), always-valid at the current totals; too little data below `minSamples` requests. */
export function guardrailRows(
  totals: GuardrailTotals[],
  variants: string[],
  control: string,
  alpha = 0.05,
  minSamples = DEFAULT_MIN_SAMPLES,
): ScorecardRow[] {
  const empty = (variant: string): GuardrailTotals => ({ variant, requests: 0, errors: 0, costSum: 0, costSumSq: 0, latency: [] });
  const of = (name: string) => totals.find((t) => t.variant === name) ?? empty(name);
  const c = of(control);
  return GUARDRAILS.map((g) => {
    const ce = g.estimate(c);
    return {
      key: g.key,
      label: g.label,
      group: "guardrail",
      optimize: "min",
      valueUnit: g.valueUnit,
      scale: g.scale,
      design: "open",
      controlEstimate: ce?.value ?? null,
      cells: variants.map((name) => {
        const t = of(name);
        const te = g.estimate(t);
        if (name === control) return cell(name, t.requests, te?.value ?? null, { status: "control" });
        if (!ce || !te || c.requests < minSamples || t.requests < minSamples) return cell(name, t.requests, te?.value ?? null);
        const r = g.compare(c, t, ce, te, alpha);
        if (!r) return cell(name, t.requests, te.value, { status: "unavailable" });
        return cell(name, t.requests, te.value, { effect: r.effect, low: r.ci[0], high: r.ci[1], status: status("min", r.ci) });
      }),
    };
  });
}

/** The rows on which a variant is significantly worse than the control, besides the chosen metric. */
export function worseOn(rows: ScorecardRow[], variant: string): ScorecardRow[] {
  return rows.filter((r) => r.group !== "primary" && r.cells.some((c) => c.variant === variant && c.status === "worse"));
}

/** The effect of one cell as text, the same way the headline writes it. */
export function cellEffect(row: ScorecardRow, c: ScorecardCell): string | null {
  if (c.effect === null) return null;
  const t = effectText(row.scale, c.effect, c.low !== null && c.high !== null ? [c.low, c.high] : null, row.controlEstimate);
  return t.interval ? `${t.point} ${t.interval}` : t.point;
}

/** The report with its scorecard, and a headline that says when a winner is worse on another metric or a guardrail. */
export function withScorecard(report: AbReport, others: AbReport[], guardrails: ScorecardRow[]): AbReport {
  const scorecard = [metricRow(report, "primary"), ...others.map((o) => metricRow(o, "metric")), ...guardrails];
  const warnings = report.variants
    .filter((v) => v.verdict === "winner")
    .flatMap((v) => {
      const rows = worseOn(scorecard, v.name);
      if (rows.length === 0) return [];
      const parts = rows.map((r) => {
        const c = r.cells.find((x) => x.variant === v.name)!;
        const t = effectText(r.scale, c.effect ?? 0, null, r.controlEstimate);
        return `${r.label} (${t.point}${r.scale === "pp" ? "" : r.scale === "lift" ? "" : " of the control's mean"})`;
      });
      return [`But ${v.name} is worse on ${joinAnd(parts)}.`];
    });
  return { ...report, scorecard, headline: warnings.length ? `${report.headline} ${warnings.join(" ")}` : report.headline };
}

const joinAnd = (xs: string[]) => (xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`);
