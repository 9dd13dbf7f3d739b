import { z } from "zod";
import { metricInfoSchema } from "./schemas";

/** Shape of the A/B report (`GET /api/functions/<name>/ab`), shared by the route and the page. */
const finiteOrNull = z.number().nullable();

export const abVariantSchema = z.object({
  name: z.string(),
  isControl: z.boolean(),
  weight: finiteOrNull,
  traffic: finiteOrNull,
  n: z.number(),
  /** Episodes behind the observations, when inference-level values are clustered by episode. */
  clusters: finiteOrNull,
  /** Cluster-robust over independent variance of the mean (1 without clustering). */
  designEffect: finiteOrNull,
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
  /** open: always-valid p-value; planned: nominal p-value of the deciding (or latest) look. */
  sequentialPValue: finiteOrNull,
  sequentialEstimate: finiteOrNull,
  sequentialCiLow: finiteOrNull,
  sequentialCiHigh: finiteOrNull,
  /** planned: the look at which a boundary was crossed. */
  decidedAt: finiteOrNull,
  /** planned: the critical |z| at the latest look, and the latest z. */
  boundary: finiteOrNull,
  z: finiteOrNull,
  verdict: z.enum(["winner", "loser", "inconclusive", "collecting"]).nullable(),
  verdictText: z.string().nullable(),
  morePerVariant: finiteOrNull,
  /** Power and planning (lib/stats/power.ts), for the effect in `planningEffect`. */
  planningEffect: finiteOrNull,
  mdeNow: finiteOrNull,
  mdeHorizon: finiteOrNull,
  horizonPerVariant: finiteOrNull,
  neededPerVariant: finiteOrNull,
  perDay: finiteOrNull,
  expectedDays: finiteOrNull,
  decisionProbability: finiteOrNull,
  /** planned: z and boundary at each tested look. */
  path: z.array(z.object({ look: z.number(), z: z.number(), boundary: finiteOrNull })),
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

export const abDesignSchema = z.object({
  kind: z.enum(["open", "planned"]),
  /** planned: looks to the horizon. */
  looks: finiteOrNull,
  /** The experiment's first day when configured (the window then starts there). */
  start: finiteOrNull,
  /** Whether llmops.toml chose the design (`[functions.F.experiments.M]`) or it is the default. */
  configured: z.boolean(),
});

export const abAllocationSchema = z.object({
  kind: z.enum(["fixed", "adaptive"]),
  /** adaptive: the metric traffic follows, the floor, and each day's weights (shares summing to 1). */
  metric: z.string().nullable(),
  floor: finiteOrNull,
  history: z.array(z.object({ day: z.number(), variant: z.string(), weight: z.number() })),
});

export const scorecardCellSchema = z.object({
  variant: z.string(),
  /** Observations (metrics) or requests (guardrails) behind the cell. */
  n: z.number(),
  /** The variant's own value: mean, rate, cost per request, percentile. */
  value: finiteOrNull,
  /** Against the control, on the row's scale, with its interval (null with too little data). */
  effect: finiteOrNull,
  low: finiteOrNull,
  high: finiteOrNull,
  status: z.enum(["control", "better", "worse", "unclear", "too-little-data", "unavailable"]),
});
export type ScorecardCell = z.output<typeof scorecardCellSchema>;

export const scorecardRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  /** primary: the chosen metric; metric: every other one; guardrail: cost, latency, errors. */
  group: z.enum(["primary", "metric", "guardrail"]),
  optimize: z.enum(["max", "min"]),
  valueUnit: z.enum(["percent", "usd", "ms", "none"]),
  /** How `effect` reads (lib/stats/effect.ts): pp, % of the control's mean, absolute, or relative lift. */
  scale: z.enum(["pp", "relative", "absolute", "lift"]),
  /** Which interval: the metric's own design (open: always-valid; planned: repeated CI). Guardrails: open. */
  design: z.enum(["open", "planned"]),
  controlEstimate: finiteOrNull,
  cells: z.array(scorecardCellSchema),
});
export type ScorecardRow = z.output<typeof scorecardRowSchema>;

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
  design: abDesignSchema,
  /** The metric's declared minimum detectable effect. */
  mde: z.object({ value: z.number(), relative: z.boolean() }).nullable(),
  allocation: abAllocationSchema,
  /** Whether inference-level values were analysed by episode (some episode has several). */
  clustered: z.boolean(),
  headline: z.string(),
  variants: z.array(abVariantSchema),
  /** Observations per variant against the weights (what the comparison rests on). */
  srm: srmSchema,
  /** Requests per variant against the weights (the assignment itself). */
  trafficSrm: srmSchema,
  history: z.array(z.object({ day: z.number(), variant: z.string(), n: z.number(), estimate: finiteOrNull })),
  /** Fewer observations than this in a variant: "too little data", no interval shown. */
  minSamples: z.number(),
  /** The chosen metric, every other metric and the guardrails, variant by variant (lib/analytics/scorecard.ts). */
  scorecard: z.array(scorecardRowSchema),
});
export type AbReport = z.output<typeof abReportSchema>;
