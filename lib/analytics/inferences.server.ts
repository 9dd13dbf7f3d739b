import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { queryRows } from "@/lib/clickhouse/rows.server";
import { NotFoundError } from "@/lib/http/errors";
import type { FeedbackOp } from "@/lib/inference/filter";
import { getInferenceRecord, listEpisodeMembers, listFeedbackAbout, listModelCalls } from "@/lib/inference/get.server";
import { listInferenceRows, listModelNames } from "@/lib/inference/list.server";
import { chTimeToMs, decodeCursor, encodeCursor, type Cursor } from "./cursor";
import { PAGE_SIZE, type InferenceListQuery } from "./inference-query";
import { rangeFromQuery, toChSeconds, type TagFilter } from "./range";
import type { InferenceDetail, InferenceFacets, InferenceListItem, InferencePage } from "./schemas";

/**
 * The inference browser and the inference page: the verbs routes and prefetches call, over
 * lib/inference's reads (which own the SQL and the row schemas), converted to the API's shapes here.
 */

export interface InferenceFilters {
  from: number;
  to: number;
  functionName?: string;
  variantName?: string;
  modelName?: string;
  status?: string;
  /** The client's `user` (the end_user column). */
  user?: string;
  tags?: TagFilter[];
  /** Inferences whose latest value of `metric` compares to `value` with `op`. */
  feedback?: { metric: string; op: FeedbackOp; value: number };
  cursor?: Cursor;
  limit: number;
}

/** One page of inferences, newest first, by keyset on (timestamp, id); `limit + 1` rows tell if there is a next page. */
export async function listInferences(
  client: ClickHouseClient,
  f: InferenceFilters,
): Promise<{ items: InferenceListItem[]; next: Cursor | null }> {
  const found = await listInferenceRows(
    client,
    {
      from: f.from,
      to: f.to,
      functionName: f.functionName,
      variantName: f.variantName,
      modelName: f.modelName,
      status: f.status,
      endUser: f.user,
      tags: f.tags,
      before: f.cursor,
      feedback: f.feedback,
    },
    // Whole seconds, as the browser's bounds always were.
    { limit: f.limit + 1, precision: "second" },
  );
  const page = found.slice(0, f.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      episodeId: r.episode_id,
      timestamp: chTimeToMs(r.timestamp),
      functionName: r.function_name,
      variantName: r.variant_name,
      modelName: r.model_name,
      status: r.status,
      latencyMs: r.latency_ms,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
      cost: r.cost ?? 0,
      cached: r.cached,
      preview: r.preview,
    })),
    next: found.length > f.limit && last ? { ts: last.timestamp, id: last.id } : null,
  };
}

/** Values for the browser's filter menus over [from, to): from the hourly rollups, models from the log. */
export async function inferenceFacets(client: ClickHouseClient, from: number, to: number, functionName?: string): Promise<InferenceFacets> {
  const hour = Math.floor(from / 3_600_000) * 3_600_000;
  const params = { from: toChSeconds(hour), to: toChSeconds(to), fn: functionName ?? "" };
  const inFn = functionName ? " AND function_name = {fn:String}" : "";
  const bounds = "bucket >= {from:DateTime('UTC')} AND bucket < {to:DateTime('UTC')}";
  const names = z.object({ name: z.string() });
  const pick = async (query: string) => (await queryRows(client, query, params, names)).map((r) => r.name);
  return {
    functions: await pick(`SELECT DISTINCT function_name AS name FROM inference_rollup_1h WHERE ${bounds} ORDER BY name LIMIT 500`),
    variants: await pick(`SELECT DISTINCT variant_name AS name FROM inference_rollup_1h WHERE ${bounds}${inFn} ORDER BY name LIMIT 500`),
    models: await listModelNames(client, { from: hour, to, functionName }, { precision: "second" }),
    metrics: await pick(`SELECT DISTINCT metric_name AS name FROM feedback_rollup_1h WHERE ${bounds}${inFn} ORDER BY name LIMIT 500`),
  };
}

/** One inference with its model calls, feedback (on it and on its episode) and its episode's inferences. */
export async function getInference(client: ClickHouseClient, id: string): Promise<InferenceDetail | undefined> {
  const row = await getInferenceRecord(client, id);
  if (!row) return undefined;
  const calls = await listModelCalls(client, id);
  const feedback = await listFeedbackAbout(client, row);
  const episode = await listEpisodeMembers(client, row.episode_id, 200);
  return {
    id: row.id,
    episodeId: row.episode_id,
    functionName: row.function_name,
    variantName: row.variant_name,
    modelName: row.model_name,
    providerName: row.provider_name,
    promptVersion: row.prompt_version,
    input: row.input,
    output: row.output,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cost: row.cost ?? 0,
    latencyMs: row.latency_ms,
    ttftMs: row.ttft_ms,
    status: row.status,
    error: row.error,
    cached: row.cached,
    streamed: row.streamed,
    tags: row.tags,
    timestamp: chTimeToMs(row.timestamp),
    traceId: row.trace_id || null,
    guardrails: row.guardrails.map((g) => ({ ...g, durationMs: g.duration_ms })),
    modelCalls: calls.map((c) => ({
      id: c.id,
      attempt: c.attempt,
      modelName: c.model_name,
      providerName: c.provider_name,
      status: c.status,
      error: c.error,
      latencyMs: c.latency_ms,
      ttftMs: c.ttft_ms,
      inputTokens: c.input_tokens,
      outputTokens: c.output_tokens,
      cost: c.cost ?? 0,
      request: c.request,
      response: c.response,
      timestamp: chTimeToMs(c.timestamp),
    })),
    feedback: feedback.map((f) => ({
      id: f.id,
      targetType: f.target_type,
      metricName: f.metric_name,
      kind: f.kind,
      value: f.value ?? 0,
      text: f.text,
      tags: f.tags,
      timestamp: chTimeToMs(f.timestamp),
    })),
    episode: episode.map((e) => ({ id: e.id, variantName: e.variant_name, timestamp: chTimeToMs(e.timestamp) })),
  };
}

/** The verbs behind the inference browser and the inference page. */
export async function browseInferences(
  client: ClickHouseClient,
  q: InferenceListQuery,
  tags: TagFilter[] = [],
  now = Date.now(),
): Promise<InferencePage> {
  // A preset range ends at "now" without snapping, so the newest rows are always in.
  const range = rangeFromQuery(q, now);
  const result = await listInferences(client, {
    from: range.from,
    to: q.to ?? now + 1,
    functionName: q.function,
    variantName: q.variant,
    modelName: q.model,
    status: q.status,
    user: q.user,
    tags,
    feedback: q.metric !== undefined && q.value !== undefined ? { metric: q.metric, op: q.op, value: q.value } : undefined,
    cursor: q.cursor ? decodeCursor(q.cursor) : undefined,
    limit: PAGE_SIZE,
  });
  return { items: result.items, next: result.next ? encodeCursor(result.next) : null, from: range.from, to: q.to ?? now + 1 };
}

export async function getInferenceFacets(client: ClickHouseClient, q: InferenceListQuery, now = Date.now()): Promise<InferenceFacets> {
  const range = rangeFromQuery(q, now);
  return inferenceFacets(client, range.from, range.to, q.function);
}

export async function getInferenceOrThrow(client: ClickHouseClient, id: string): Promise<InferenceDetail> {
  const found = await getInference(client, id);
  if (!found) throw new NotFoundError(`No inference ${id}`);
  return found;
}
