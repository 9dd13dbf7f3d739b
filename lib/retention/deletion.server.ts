import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { randomUUID } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client.server";
import { dataDeletions, labelItems, labelQueues, runtimeEvalJobs } from "@/db/schema";
import { count as rowCount, queryRows } from "@/lib/clickhouse/rows.server";
import { BadRequestError } from "@/lib/http/errors";
import type { InferenceLogFilter } from "@/lib/inference/filter";
import { listInferenceIds } from "@/lib/inference/list.server";

/**
 * Deletion on request: every inference of a user (tag `user`), an episode, a tag value or a time
 * range, with what hangs off it — model calls, feedback, lookup rows, cache rows in ClickHouse;
 * labelling items (their snapshots, labels and claims) and runtime evaluation jobs in Postgres.
 * A dry run counts the same rows. Each request is recorded in `data_deletions`.
 */
export const deletionSelector = z
  .strictObject({
    user: z.string().min(1).max(500).optional(),
    episode_id: z.uuid().optional(),
    tag: z.strictObject({ key: z.string().min(1).max(100), value: z.string().max(500) }).optional(),
    from: z.number().int().min(0).max(4_294_967_295_000).optional(),
    to: z.number().int().min(0).max(4_294_967_295_000).optional(),
  })
  .refine((s) => [s.user, s.episode_id, s.tag, s.from ?? s.to].filter((x) => x !== undefined).length === 1, {
    message: "give exactly one of user, episode_id, tag, or a time range (from and to, epoch ms)",
  })
  .refine((s) => (s.from === undefined) === (s.to === undefined) && (s.from === undefined || s.from < s.to!), {
    message: "a time range needs from < to",
  });
export type DeletionSelector = z.infer<typeof deletionSelector>;

/** One request deletes at most this many inferences; repeat it for more (the answer says so). */
export const MAX_INFERENCES = 100_000;
const CHUNK = 10_000;

export interface DeletionResult {
  id: string;
  dryRun: boolean;
  /** `clickhouse.<table>` and `postgres.<table>` → rows. */
  counts: Record<string, number>;
  /** More inferences matched than one request deletes. */
  truncated: boolean;
}

interface Ctx {
  db: Db;
  clickhouse: ClickHouseClient;
  cluster?: string;
}

/** The inferences a selector names, as the log's filter. */
function logFilter(s: DeletionSelector): InferenceLogFilter {
  if (s.user !== undefined) return { tags: [{ key: "user", value: s.user }] };
  if (s.episode_id !== undefined) return { episodeId: s.episode_id };
  if (s.tag) return { tags: [s.tag] };
  return { from: s.from!, to: s.to! };
}

async function count(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<number> {
  const [row] = await queryRows(client, query, params, z.object({ n: rowCount }));
  return row?.n ?? 0;
}

const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/** ClickHouse tables and the column holding the inference id. */
const CH_TABLES: [table: string, column: string, extra?: string][] = [
  ["model_calls", "inference_id"],
  ["feedback", "target_id", "target_type = 'inference'"],
  ["feedback_by_target", "target_id"],
  ["inference_cache", "inference_id"],
  ["inference_by_trace", "id"],
  ["inference_by_episode", "id"],
  ["inference_by_id", "id"],
  ["inferences", "id"],
];

export async function deleteData(
  ctx: Ctx,
  raw: unknown,
  options: { dryRun: boolean; actor?: string; now?: number },
): Promise<DeletionResult> {
  const parsed = deletionSelector.safeParse(raw);
  if (!parsed.success) throw new BadRequestError(parsed.error.issues.map((i) => i.message).join("; "));
  const selector = parsed.data;
  let ids = await listInferenceIds(ctx.clickhouse, logFilter(selector), MAX_INFERENCES + 1);
  const truncated = ids.length > MAX_INFERENCES;
  ids = ids.slice(0, MAX_INFERENCES);
  const counts: Record<string, number> = {};
  const onCluster = ctx.cluster ? ` ON CLUSTER \`${ctx.cluster.replace(/`/g, "")}\`` : "";
  for (const [table, column, extra] of CH_TABLES) {
    let n = 0;
    for (const part of chunks(ids)) {
      const filter = `${column} IN {ids:Array(UUID)}${extra ? ` AND ${extra}` : ""}`;
      n += await count(ctx.clickhouse, `SELECT count() AS n FROM ${table} WHERE ${filter}`, { ids: part });
      if (!options.dryRun)
        await ctx.clickhouse.command({ query: `DELETE FROM ${table}${onCluster} WHERE ${filter}`, query_params: { ids: part } });
    }
    counts[`clickhouse.${table}`] = n;
  }
  // Episode-level feedback goes with the episode when the request names it.
  if (selector.episode_id) {
    const filter = "target_type = 'episode' AND target_id = {e:UUID}";
    const n = await count(ctx.clickhouse, `SELECT count() AS n FROM feedback WHERE ${filter}`, { e: selector.episode_id });
    counts["clickhouse.feedback"] = (counts["clickhouse.feedback"] ?? 0) + n;
    if (!options.dryRun) {
      await ctx.clickhouse.command({ query: `DELETE FROM feedback${onCluster} WHERE ${filter}`, query_params: { e: selector.episode_id } });
      await ctx.clickhouse.command({
        query: `DELETE FROM feedback_by_target${onCluster} WHERE target_id = {e:UUID}`,
        query_params: { e: selector.episode_id },
      });
    }
  }
  let items = 0;
  let jobs = 0;
  await ctx.db.transaction(async (tx) => {
    for (const part of chunks(ids)) {
      if (options.dryRun) {
        const [a] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(labelItems)
          .where(inArray(labelItems.inferenceId, part));
        const [b] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(runtimeEvalJobs)
          .where(inArray(runtimeEvalJobs.inferenceId, part));
        items += Number(a?.n ?? 0);
        jobs += Number(b?.n ?? 0);
      } else {
        items += (await tx.delete(labelItems).where(inArray(labelItems.inferenceId, part)).returning({ id: labelItems.id })).length;
        jobs += (await tx.delete(runtimeEvalJobs).where(inArray(runtimeEvalJobs.inferenceId, part)).returning({ id: runtimeEvalJobs.id }))
          .length;
      }
    }
    if (!options.dryRun && items)
      await tx
        .update(labelQueues)
        .set({ itemCount: sql`(select count(*)::int from ${labelItems} where ${labelItems.queueId} = ${labelQueues.id})` });
  });
  counts["postgres.label_items"] = items;
  counts["postgres.runtime_eval_jobs"] = jobs;
  const id = randomUUID();
  await ctx.db.insert(dataDeletions).values({
    id,
    selector: selector as Record<string, unknown>,
    dryRun: options.dryRun,
    actor: options.actor ?? "",
    counts,
    createdAt: options.now ?? Date.now(),
  });
  return { id, dryRun: options.dryRun, counts, truncated };
}
