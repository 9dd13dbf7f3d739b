import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { groupInsert } from "@/lib/clickhouse/group-insert.server";
import { queryRows } from "@/lib/clickhouse/rows.server";
import type { FeedbackRow, FeedbackTarget } from "./tables";

/**
 * The shared reads and writes of the gateway's log that more than one feature needs: feedback
 * rows (the gateway's POST /api/feedback and the labelling queues both write them) and the
 * lookup of feedback targets. Every value goes through query parameters, never into the SQL text.
 */

export interface TargetInfo {
  /** The inference id, or the episode id when the target is an episode. */
  id: string;
  episode_id: string;
  function_name: string;
  variant_name: string;
}

/**
 * Inserts feedback rows (already validated by the caller) in one batch; concurrent callers share
 * inserts (group commit), and each returns once its rows are written.
 */
export async function insertFeedback(client: ClickHouseClient, rows: FeedbackRow[]): Promise<void> {
  await groupInsert(client, "feedback", rows);
}

/**
 * Removes feedback rows by id (a lightweight delete, replicated like any mutation): scores whose
 * evaluation claim was lost, labels replaced or never stored after their feedback was written.
 */
export async function deleteFeedback(client: ClickHouseClient, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await client.command({ query: "DELETE FROM feedback WHERE id IN {ids:Array(UUID)}", query_params: { ids } });
}

const targetRow = z.object({ key: z.string(), episode_id: z.string(), function_name: z.string(), variant_name: z.string() });

/**
 * Function and variant of each known target; unknown ids are absent from the map. An episode's
 * variant is that of its first inference (variants are sticky per episode).
 */
export async function lookupTargets(client: ClickHouseClient, type: FeedbackTarget, ids: string[]): Promise<Map<string, TargetInfo>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const query =
    type === "inference"
      ? `SELECT id AS key, episode_id, function_name, variant_name
           FROM inference_by_id WHERE id IN {ids:Array(UUID)} LIMIT 1 BY id`
      : `SELECT episode_id AS key, episode_id, argMin(function_name, timestamp) AS function_name, argMin(variant_name, timestamp) AS variant_name
           FROM inference_by_episode WHERE episode_id IN {ids:Array(UUID)} GROUP BY episode_id`;
  // The target comes back as `key`: an alias must not shadow a column used in WHERE.
  const rows = await queryRows(client, query, { ids: unique }, targetRow);
  return new Map(rows.map(({ key, ...rest }) => [key, { id: key, ...rest }]));
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (text: string) => UUID_RE.test(text);
