import { z } from "zod";

/**
 * Shapes of the dashboard's analytics API (functions, variants, A/B, inferences), shared by the
 * route handlers (response checks) and the pages' query functions (parsing). Times are epoch ms.
 */
const num = z.number();
const maybe = z.number().nullable();

export const metricInfoSchema = z.object({
  name: z.string(),
  type: z.enum(["float", "boolean"]),
  optimize: z.enum(["max", "min"]),
  level: z.enum(["inference", "episode"]),
  /** false when nothing declares the metric and its settings were inferred from the feedback. */
  declared: z.boolean(),
});
export type MetricInfo = z.output<typeof metricInfoSchema>;

export const functionInfoSchema = z.object({
  name: z.string(),
  variants: z.array(z.object({ name: z.string(), weight: z.number().nullable() })),
  metrics: z.array(metricInfoSchema),
  /** Where variants and metrics come from: the gateway's configuration, or the recorded data. */
  source: z.enum(["config", "data"]),
});
export type FunctionInfo = z.output<typeof functionInfoSchema>;

export const rangeSchema = z.object({
  from: num,
  to: num,
  bucketSeconds: num,
  /** Which table answered: a rollup, or the raw log (tag filters cannot use rollups). */
  source: z.enum(["rollup_1m", "rollup_1h", "raw"]),
  /** When the answer was computed: a bucket ending after this is still filling. */
  asOf: num,
});
export type RangeInfo = z.output<typeof rangeSchema>;

export const variantStatsSchema = z.object({
  variant: z.string(),
  requests: num,
  errors: num,
  cacheHits: num,
  inputTokens: num,
  outputTokens: num,
  cost: num,
  latencyMean: maybe,
  latencyP50: maybe,
  latencyP95: maybe,
  latencyP99: maybe,
  ttftCount: num,
  ttftP50: maybe,
  ttftP95: maybe,
  ttftP99: maybe,
});
export type VariantStats = z.output<typeof variantStatsSchema>;
export const variantPointSchema = variantStatsSchema.extend({ t: num });
export type VariantPoint = z.output<typeof variantPointSchema>;

export const metricStatsSchema = z.object({ metric: z.string(), variant: z.string(), n: num, mean: maybe, stddev: maybe });
export type MetricStats = z.output<typeof metricStatsSchema>;
export const metricPointSchema = metricStatsSchema.extend({ t: num });
export type MetricPoint = z.output<typeof metricPointSchema>;

export const functionReportSchema = z.object({
  function: functionInfoSchema,
  range: rangeSchema,
  summary: z.array(variantStatsSchema),
  series: z.array(variantPointSchema),
  metricSummary: z.array(metricStatsSchema),
  metricSeries: z.array(metricPointSchema),
});
export type FunctionReport = z.output<typeof functionReportSchema>;

export const functionListItemSchema = z.object({
  name: z.string(),
  variants: num,
  requests: num,
  errors: num,
  cost: num,
  latencyP95: maybe,
  lastSeen: maybe,
});
export const functionListSchema = z.object({ range: rangeSchema, functions: z.array(functionListItemSchema) });
export type FunctionList = z.output<typeof functionListSchema>;

export const inferenceListItemSchema = z.object({
  id: z.string(),
  episodeId: z.string(),
  timestamp: num,
  functionName: z.string(),
  variantName: z.string(),
  modelName: z.string(),
  status: z.string(),
  latencyMs: num,
  inputTokens: num,
  outputTokens: num,
  cost: num,
  cached: z.boolean(),
  preview: z.string(),
});
export type InferenceListItem = z.output<typeof inferenceListItemSchema>;

export const inferencePageSchema = z.object({
  items: z.array(inferenceListItemSchema),
  /** Opaque keyset cursor of the next (older) page; null on the last page. */
  next: z.string().nullable(),
  from: num,
  to: num,
});
export type InferencePage = z.output<typeof inferencePageSchema>;

export const inferenceFacetsSchema = z.object({
  functions: z.array(z.string()),
  variants: z.array(z.string()),
  models: z.array(z.string()),
  metrics: z.array(z.string()),
});
export type InferenceFacets = z.output<typeof inferenceFacetsSchema>;

const modelCallSchema = z.object({
  id: z.string(),
  attempt: num,
  modelName: z.string(),
  providerName: z.string(),
  status: z.string(),
  error: z.string(),
  latencyMs: num,
  ttftMs: maybe,
  inputTokens: num,
  outputTokens: num,
  cost: num,
  request: z.string(),
  response: z.string(),
  timestamp: num,
});

const feedbackItemSchema = z.object({
  id: z.string(),
  targetType: z.string(),
  metricName: z.string(),
  kind: z.string(),
  value: num,
  text: z.string(),
  tags: z.record(z.string(), z.string()),
  timestamp: num,
});

export const inferenceDetailSchema = z.object({
  id: z.string(),
  episodeId: z.string(),
  functionName: z.string(),
  variantName: z.string(),
  modelName: z.string(),
  providerName: z.string(),
  promptVersion: z.string(),
  input: z.string(),
  output: z.string(),
  inputTokens: num,
  outputTokens: num,
  cost: num,
  latencyMs: num,
  ttftMs: maybe,
  status: z.string(),
  error: z.string(),
  cached: z.boolean(),
  streamed: z.boolean(),
  tags: z.record(z.string(), z.string()),
  timestamp: num,
  /** The trace whose span made this inference (W3C traceparent on the request), if any. */
  traceId: z.string().nullable().default(null),
  /** Guardrail verdicts (lib/guardrails): which check, on what, what it found, how long it took. */
  guardrails: z
    .array(
      z.object({
        name: z.string(),
        kind: z.string(),
        stage: z.string(),
        mode: z.string(),
        outcome: z.string(),
        detail: z.string(),
        durationMs: num,
      }),
    )
    .default([]),
  modelCalls: z.array(modelCallSchema),
  feedback: z.array(feedbackItemSchema),
  episode: z.array(z.object({ id: z.string(), variantName: z.string(), timestamp: num })),
});
export type InferenceDetail = z.output<typeof inferenceDetailSchema>;
