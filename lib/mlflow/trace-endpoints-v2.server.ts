import "server-only";
import { z } from "zod";
import { searchTraces } from "@/lib/traces/search.server";
import { getTraceTags } from "@/lib/traces/store.server";
import { getTraceOrThrow, recordTraceInfo } from "@/lib/traces/service.server";
import { toWireTraceInfoV2, wireTraceInfoV2 } from "@/lib/traces/wire";
import type { TrackingContext } from "@/lib/tracking/context";
import { int64, repeated, requiredStr, str } from "./fields";
import { endpoint } from "./http.server";

/**
 * MLflow's v2 trace endpoints (StartTrace, EndTrace, GetTraceInfo, SearchTraces under
 * /api/2.0/mlflow/traces), which older clients call: the same store as the v3 ones, in the v2
 * TraceInfo shape (request_id, timestamp_ms, status, key/value lists).
 */
export const searchTracesV2 = endpoint({
  request: z.object({
    experiment_ids: repeated(str),
    filter: str.optional(),
    max_results: int64.optional(),
    order_by: repeated(str),
    page_token: str.optional(),
  }),
  response: z.object({ traces: z.array(wireTraceInfoV2).optional(), next_page_token: z.string().optional() }),
  handle: async ({ ctx, input }) => {
    const found = await searchTraces(ctx.clickhouse, {
      experimentIds: input.experiment_ids,
      filter: input.filter,
      orderBy: input.order_by,
      maxResults: input.max_results ?? 100,
      pageToken: input.page_token,
    });
    const tags = await getTraceTags(
      ctx.clickhouse,
      found.traces.map((t) => t.trace_id),
    );
    const traces = found.traces.map((t) => toWireTraceInfoV2(t, tags.get(t.trace_id) ?? { tags: {}, metadata: {}, runs: [], info: {} }));
    return { traces: traces.length ? traces : undefined, next_page_token: found.nextPageToken };
  },
});

const keyValue = z.object({ key: requiredStr, value: str.optional().default("") });
const toRecord = (items: { key: string; value: string }[]) => Object.fromEntries(items.map((i) => [i.key, i.value]));
const V2_STATUS = ["TRACE_STATUS_UNSPECIFIED", "OK", "ERROR", "IN_PROGRESS"] as const;
const v2Status = z.union([
  z.enum(V2_STATUS),
  z
    .number()
    .int()
    .min(0)
    .max(3)
    .transform((n) => V2_STATUS[n] ?? "TRACE_STATUS_UNSPECIFIED"),
]);

async function traceInfoV2(ctx: TrackingContext, id: string) {
  const trace = await getTraceOrThrow(ctx, id);
  const tags = await getTraceTags(ctx.clickhouse, [trace.summary.trace_id]);
  return toWireTraceInfoV2(trace.summary, tags.get(trace.summary.trace_id) ?? { tags: {}, metadata: {}, runs: [], info: {} });
}

export const startTraceV2 = endpoint({
  request: z.object({
    experiment_id: requiredStr,
    timestamp_ms: int64.optional(),
    request_metadata: repeated(keyValue),
    tags: repeated(keyValue),
  }),
  response: z.object({ trace_info: wireTraceInfoV2 }),
  handle: async ({ ctx, input }) => {
    const hex = await recordTraceInfo(ctx, {
      experimentId: input.experiment_id,
      startNs: BigInt(input.timestamp_ms ?? Date.now()) * 1_000_000n,
      durationNs: 0n,
      state: "IN_PROGRESS",
      requestPreview: "",
      responsePreview: "",
      metadata: toRecord(input.request_metadata),
      tags: toRecord(input.tags),
      assessments: [],
    });
    return { trace_info: await traceInfoV2(ctx, hex) };
  },
});

export const endTraceV2 = endpoint({
  request: z.object({
    request_id: requiredStr,
    timestamp_ms: int64.optional(),
    status: v2Status.optional(),
    request_metadata: repeated(keyValue),
    tags: repeated(keyValue),
  }),
  response: z.object({ trace_info: wireTraceInfoV2 }),
  handle: async ({ ctx, input }) => {
    const { summary } = await getTraceOrThrow(ctx, input.request_id);
    const start = BigInt(summary.start_ns);
    const end = BigInt(input.timestamp_ms ?? Date.now()) * 1_000_000n;
    const status = input.status === "TRACE_STATUS_UNSPECIFIED" || !input.status ? "STATE_UNSPECIFIED" : input.status;
    await recordTraceInfo(ctx, {
      traceId: summary.trace_id,
      experimentId: summary.experiment_id,
      startNs: start,
      durationNs: end - start,
      state: status,
      requestPreview: "",
      responsePreview: "",
      metadata: toRecord(input.request_metadata),
      tags: toRecord(input.tags),
      assessments: [],
    });
    return { trace_info: await traceInfoV2(ctx, summary.trace_id) };
  },
});

export const getTraceInfoV2 = endpoint({
  request: z.object({ request_id: requiredStr }),
  response: z.object({ trace_info: wireTraceInfoV2 }),
  handle: async ({ ctx, input }) => ({ trace_info: await traceInfoV2(ctx, input.request_id) }),
});
