import { z } from "zod";
import { patchSearch } from "@/lib/url/search-params";

/**
 * The dashboard's trace pages: URL state, the JSON the pages fetch (`/api/traces…`), and the
 * URLs built from state. Client-safe (no server imports).
 */
const optionalText = z.string().trim().min(1).optional().catch(undefined);
const optionalMs = z.coerce.number().min(0).optional().catch(undefined);

export const tracePageState = z.object({
  experiment: optionalText,
  session: optionalText,
  user: optionalText,
  /** An MLflow run's traces (linked to it, as `mlflow.genai.evaluate` links each row's trace). */
  run: optionalText,
  status: z.enum(["OK", "ERROR", "IN_PROGRESS"]).optional().catch(undefined),
  minLatencyMs: optionalMs,
  maxLatencyMs: optionalMs,
  q: optionalText,
  page: optionalText,
});
export type TracePageState = z.output<typeof tracePageState>;

export function tracesApiUrl(s: TracePageState): string {
  const q = patchSearch("", { ...s });
  return `/api/traces${q ? `?${q}` : ""}`;
}

export const traceListItem = z.object({
  traceId: z.string(),
  experimentId: z.string(),
  name: z.string(),
  state: z.enum(["OK", "ERROR", "IN_PROGRESS"]),
  startMs: z.number(),
  latencyMs: z.number(),
  spanCount: z.number(),
  errorSpans: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cost: z.number(),
  sessionId: z.string(),
  userId: z.string(),
  requestPreview: z.string(),
  responsePreview: z.string(),
});
export type TraceListItem = z.output<typeof traceListItem>;

export const tracePageSchema = z.object({ items: z.array(traceListItem), next: z.string().nullable() });

export const spanView = z.object({
  spanId: z.string(),
  parentSpanId: z.string(),
  name: z.string(),
  spanType: z.string(),
  kind: z.string(),
  status: z.enum(["UNSET", "OK", "ERROR"]),
  statusMessage: z.string(),
  /** Milliseconds from the trace's start, and the span's length. */
  offsetMs: z.number(),
  durationMs: z.number(),
  inputs: z.string(),
  outputs: z.string(),
  attributes: z.record(z.string(), z.string()),
  events: z.string(),
  model: z.string(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cost: z.number(),
});
export type SpanView = z.output<typeof spanView>;

export const assessmentView = z.object({
  assessmentId: z.string(),
  name: z.string(),
  kind: z.enum(["feedback", "expectation"]),
  value: z.unknown(),
  rationale: z.string(),
  source: z.string(),
  spanId: z.string(),
  time: z.string(),
  valid: z.boolean(),
});

export const linkedInferenceView = z.object({
  id: z.string(),
  spanId: z.string(),
  functionName: z.string(),
  variantName: z.string(),
  timestamp: z.string(),
});

export const traceViewSchema = z.object({
  trace: traceListItem,
  tags: z.record(z.string(), z.string()),
  metadata: z.record(z.string(), z.string()),
  spans: z.array(spanView),
  assessments: z.array(assessmentView),
  inferences: z.array(linkedInferenceView),
});
export type TraceView = z.output<typeof traceViewSchema>;

export const sessionItem = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("trace"), timeMs: z.number(), trace: traceListItem }),
  z.object({
    kind: z.literal("inference"),
    timeMs: z.number(),
    id: z.string(),
    functionName: z.string(),
    variantName: z.string(),
    traceId: z.string(),
  }),
]);
export const sessionViewSchema = z.object({ sessionId: z.string(), items: z.array(sessionItem) });
export type SessionView = z.output<typeof sessionViewSchema>;
