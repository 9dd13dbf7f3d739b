import { z } from "zod";
import { analyseAb, type Stats, type VariantInput } from "@/lib/stats/ab-test";
import { sampleRatioMismatch } from "@/lib/stats/sample-ratio";
import { metricInfoSchema, type MetricInfo } from "./schemas";

/**
 * Wiring of lib/stats to the dashboard: daily sufficient statistics (one row per variant and UTC
 * day, from abDailyStats) become cumulative looks, one per day, so the sequential test sees
 * every daily peek; the result is flattened into a JSON- and CSV-friendly report.
 */
export interface DailyStats {
  variant: string;
  day: number;
  n: number;
  sum: number;
  sumSq: number;
}

interface Totals {
  n: number;
  sum: number;
  sumSq: number;
}

export function toStats(type: MetricInfo["type"], t: Totals): Stats {
  if (type === "boolean") return { kind: "boolean", n: t.n, successes: t.sum };
  const mean = t.n > 0 ? t.sum / t.n : 0;
  // Unbiased variance from sums. What is left after cancellation below the rounding error of
  // sumSq is noise: a constant sample must have exactly zero variance (lib/stats relies on it).
  const spread = t.sumSq - t.n * mean * mean;
  const variance = t.n > 1 && spread > 1e-9 * Math.abs(t.sumSq) ? spread / (t.n - 1) : 0;
  return { kind: "float", n: t.n, mean, variance };
}

/** Cumulative totals per variant at the end of every day that has data, oldest first. */
export function cumulativeLooks(daily: DailyStats[], variants: string[]): { days: number[]; totals: Map<string, Totals[]> } {
  const days = [...new Set(daily.map((d) => d.day))].sort((a, b) => a - b);
  const totals = new Map<string, Totals[]>();
  for (const variant of variants) {
    const byDay = new Map(daily.filter((d) => d.variant === variant).map((d) => [d.day, d]));
    const running: Totals = { n: 0, sum: 0, sumSq: 0 };
    totals.set(
      variant,
      days.map((day) => {
        const d = byDay.get(day);
        if (d) {
          running.n += d.n;
          running.sum += d.sum;
          running.sumSq += d.sumSq;
        }
        return { ...running };
      }),
    );
  }
  return { days, totals };
}

const finiteOrNull = z.number().nullable();

export const abVariantSchema = z.object({
  name: z.string(),
  isControl: z.boolean(),
  weight: finiteOrNull,
  traffic: finiteOrNull,
  n: z.number(),
  estimate: finiteOrNull,
  ciLow: finiteOrNull,
  ciHigh: finiteOrNull,
  diff: finiteOrNull,
  diffCiLow: finiteOrNull,
  diffCiHigh: finiteOrNull,
  lift: finiteOrNull,
  liftCiLow: finiteOrNull,
  liftCiHigh: finiteOrNull,
  pValue: finiteOrNull,
  sequentialPValue: finiteOrNull,
  sequentialCiLow: finiteOrNull,
  sequentialCiHigh: finiteOrNull,
  verdict: z.enum(["winner", "loser", "inconclusive", "collecting"]).nullable(),
  verdictText: z.string().nullable(),
  morePerVariant: finiteOrNull,
});
export type AbVariant = z.output<typeof abVariantSchema>;

const srmSchema = z
  .object({
    pValue: z.number(),
    mismatch: z.boolean(),
    variants: z.array(z.string()),
    observed: z.array(z.number()),
    expected: z.array(z.number()),
  })
  .nullable();

export const abReportSchema = z.object({
  functionName: z.string(),
  metric: metricInfoSchema,
  /** Every metric of the function, for the page's metric picker. */
  metrics: z.array(metricInfoSchema),
  control: z.string(),
  from: z.number(),
  to: z.number(),
  alpha: z.number(),
  looks: z.number(),
  headline: z.string(),
  variants: z.array(abVariantSchema),
  /** Observations per variant against the weights (what the comparison rests on). */
  srm: srmSchema,
  /** Requests per variant against the weights (the assignment itself). */
  trafficSrm: srmSchema,
  history: z.array(z.object({ day: z.number(), variant: z.string(), n: z.number(), estimate: finiteOrNull })),
});
export type AbReport = z.output<typeof abReportSchema>;

const fin = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

export interface AbRequest {
  functionName: string;
  metric: MetricInfo;
  /** Every metric of the function (defaults to just `metric`). */
  metrics?: MetricInfo[];
  control: string;
  from: number;
  to: number;
  daily: DailyStats[];
  /** Every variant to show, with its configured weight (null when unknown). */
  variants: { name: string; weight: number | null }[];
  /** Requests per variant in the window. */
  traffic: Map<string, number>;
  /**
   * Whether requests are the unit of assignment (check them against the weights). Not for
   * episode-level metrics: variants are drawn per episode, and episodes differ in length.
   */
  checkTraffic?: boolean;
}

export function buildAbReport(req: AbRequest): AbReport {
  const names = req.variants.map((v) => v.name);
  const { days, totals } = cumulativeLooks(req.daily, names);
  const last = (name: string): Totals => totals.get(name)?.at(-1) ?? { n: 0, sum: 0, sumSq: 0 };
  // The ratio checks are done here, over the variants in the randomised split: those with a
  // positive configured weight (a weight-0 variant only serves as a fallback; one dropped from the
  // configuration has no weight). lib/stats would check every variant it is given.
  const inputs: VariantInput[] = req.variants.map((v) => ({
    name: v.name,
    stats: toStats(req.metric.type, last(v.name)),
    looks: (totals.get(v.name) ?? []).slice(0, -1).map((t) => toStats(req.metric.type, t)),
  }));
  const result = analyseAb({ metric: req.metric, control: req.control, variants: inputs });

  const weighted = req.variants.filter((v): v is { name: string; weight: number } => v.weight !== null && v.weight > 0);
  const weights = weighted.map((v) => v.weight);
  const trafficObserved = weighted.map((v) => req.traffic.get(v.name) ?? 0);
  const observations = weighted.map((v) => last(v.name).n);
  const trafficSrm = req.checkTraffic === false ? undefined : sampleRatioMismatch(trafficObserved, weights);
  const observationSrm = sampleRatioMismatch(observations, weights);
  const headline = trafficSrm?.mismatch
    ? `Sample ratio mismatch: requests do not follow the configured weights (p = ${trafficSrm.pValue.toExponential(1)}); check the assignment before trusting this. ${result.headline}`
    : observationSrm?.mismatch
      ? `Sample ratio mismatch: ${req.metric.name} observations do not follow the configured weights (p = ${observationSrm.pValue.toExponential(1)}), so results may be biased. ${result.headline}`
      : result.headline;

  const variants = result.variants.map((v, i): AbVariant => {
    const c = v.comparison;
    const cfg = req.variants[i];
    return {
      name: v.name,
      isControl: v.isControl,
      weight: cfg?.weight ?? null,
      traffic: req.traffic.get(v.name) ?? 0,
      n: v.n,
      estimate: v.n > 0 ? fin(v.estimate) : null,
      ciLow: fin(v.ci?.[0]),
      ciHigh: fin(v.ci?.[1]),
      diff: fin(c?.diff),
      diffCiLow: fin(c?.diffCi[0]),
      diffCiHigh: fin(c?.diffCi[1]),
      lift: fin(c?.lift),
      liftCiLow: fin(c?.liftCi?.[0]),
      liftCiHigh: fin(c?.liftCi?.[1]),
      pValue: fin(c?.pValue),
      sequentialPValue: fin(c?.sequential.pValue),
      sequentialCiLow: fin(c?.sequential.ci[0]),
      sequentialCiHigh: fin(c?.sequential.ci[1]),
      verdict: c?.verdict.status ?? null,
      verdictText: c?.verdict.text ?? null,
      morePerVariant: fin(c?.verdict.morePerVariant),
    };
  });
  const srm = (s: ReturnType<typeof sampleRatioMismatch> | null | undefined, variantNames: string[], observed: number[]) =>
    s ? { pValue: s.pValue, mismatch: s.mismatch, variants: variantNames, observed, expected: s.expected } : null;
  const history = days.flatMap((day, d) =>
    names.map((variant) => {
      const t = totals.get(variant)?.[d] ?? { n: 0, sum: 0, sumSq: 0 };
      return { day, variant, n: t.n, estimate: t.n > 0 ? t.sum / t.n : null };
    }),
  );
  return {
    functionName: req.functionName,
    metric: req.metric,
    metrics: req.metrics ?? [req.metric],
    control: req.control,
    from: req.from,
    to: req.to,
    alpha: result.alpha,
    looks: days.length,
    headline,
    variants,
    srm: srm(
      observationSrm,
      weighted.map((v) => v.name),
      observations,
    ),
    trafficSrm: srm(
      trafficSrm,
      weighted.map((v) => v.name),
      trafficObserved,
    ),
    history,
  };
}

const CSV_COLUMNS: (keyof AbVariant)[] = [
  "name",
  "isControl",
  "weight",
  "traffic",
  "n",
  "estimate",
  "ciLow",
  "ciHigh",
  "diff",
  "diffCiLow",
  "diffCiHigh",
  "lift",
  "liftCiLow",
  "liftCiHigh",
  "pValue",
  "sequentialPValue",
  "sequentialCiLow",
  "sequentialCiHigh",
  "verdict",
  "verdictText",
  "morePerVariant",
];

/** RFC 4180 field: quoted when it holds a comma, quote or line break; formula-like text defused. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : String(value);
  // Spreadsheets run cells starting with = + - @ as formulas: prefix text (not numbers) with '.
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The A/B table as CSV: one header, one row per variant, then the context as comment-free columns. */
export function abCsv(report: AbReport): string {
  const header = ["function", "metric", "metric_type", "optimize", "level", "control", "from", "to", ...CSV_COLUMNS];
  const context = [
    report.functionName,
    report.metric.name,
    report.metric.type,
    report.metric.optimize,
    report.metric.level,
    report.control,
    new Date(report.from).toISOString(),
    new Date(report.to).toISOString(),
  ];
  const lines = [header.map(csvField).join(",")];
  for (const v of report.variants) lines.push([...context, ...CSV_COLUMNS.map((c) => v[c])].map(csvField).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
