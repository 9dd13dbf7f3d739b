import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { queryRows } from "@/lib/clickhouse/rows.server";
import {
  episodeMember,
  feedbackRecord,
  inferenceRecord,
  modelCallRecord,
  type EpisodeMember,
  type FeedbackRecord,
  type InferenceRecord,
  type ModelCallRecord,
} from "./rows";

/** Reads of one inference and what hangs off it: its model calls, feedback and episode. */

/** The whole stored inference, or undefined. */
export async function getInferenceRecord(client: ClickHouseClient, id: string): Promise<InferenceRecord | undefined> {
  const [key] = await queryRows(
    client,
    "SELECT function_name, variant_name, timestamp FROM inference_by_id WHERE id = {id:UUID} LIMIT 1",
    { id },
    z.object({ function_name: z.string(), variant_name: z.string(), timestamp: z.string() }),
  );
  if (!key) return undefined;
  // The lookup gives the sort-key prefix, so the wide row is read from one granule.
  const [row] = await queryRows(
    client,
    `SELECT * FROM inferences WHERE function_name = {fn:String} AND variant_name = {variant:String}
       AND timestamp = {ts:DateTime64(3, 'UTC')} AND id = {id:UUID} LIMIT 1`,
    { fn: key.function_name, variant: key.variant_name, ts: key.timestamp, id },
    inferenceRecord,
  );
  return row;
}

/** Every attempt (retries, fallbacks) of an inference, in order. */
export function listModelCalls(client: ClickHouseClient, inferenceId: string): Promise<ModelCallRecord[]> {
  return queryRows(
    client,
    `SELECT id, attempt, model_name, provider_name, status, error, latency_ms, ttft_ms, input_tokens, output_tokens, cost, request, response, timestamp
     FROM model_calls WHERE inference_id = {id:UUID} ORDER BY attempt`,
    { id: inferenceId },
    modelCallRecord,
  );
}

/** Feedback about an inference and about its episode, newest first (at most 500). */
export function listFeedbackAbout(
  client: ClickHouseClient,
  inference: Pick<InferenceRecord, "id" | "episode_id" | "function_name">,
): Promise<FeedbackRecord[]> {
  return queryRows(
    client,
    `SELECT id, target_type, metric_name, kind, value, text, tags, timestamp FROM feedback
     WHERE function_name = {fn:String} AND id IN (SELECT id FROM feedback_by_target WHERE target_id IN ({id:UUID}, {episode:UUID}))
     ORDER BY timestamp DESC LIMIT 500`,
    { fn: inference.function_name, id: inference.id, episode: inference.episode_id },
    feedbackRecord,
  );
}

/** The inferences of an episode in time order (then by id), at most `limit`. */
export function listEpisodeMembers(client: ClickHouseClient, episodeId: string, limit: number): Promise<EpisodeMember[]> {
  return queryRows(
    client,
    `SELECT id, function_name, variant_name, timestamp
     FROM inference_by_episode WHERE episode_id = {episode:UUID} ORDER BY timestamp, id LIMIT {limit:UInt32}`,
    { episode: episodeId, limit },
    episodeMember,
  );
}
