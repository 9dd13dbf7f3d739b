import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { count, queryRows } from "@/lib/clickhouse/rows.server";
import { inferenceConditions, whereSql } from "@/lib/inference/filter";
import type { ResolvedRange } from "./range";
import type { UsageCell } from "./usage";

const usageRow = z.object({
  day: z.string(),
  model_name: z.string(),
  function_name: z.string(),
  variant_name: z.string(),
  requests: count,
  errors: count,
  cache_hits: count,
  tokens_in: count,
  tokens_out: count,
  total_cost: count,
  cached_in: count,
  cached_out: count,
});

/**
 * Spend per day, model, function and variant over [from, to), from the raw log: every recorded
 * inference counts, evaluation and playground traffic included (they cost money too). Bounded by
 * the range; one row per group, so the page folds them by any dimension without asking again.
 */
export async function usageCells(client: ClickHouseClient, range: Pick<ResolvedRange, "from" | "to">): Promise<UsageCell[]> {
  const where = inferenceConditions({ from: range.from, to: range.to }, { precision: "second" });
  const query = `SELECT toString(toDate(timestamp, 'UTC')) AS day, model_name, function_name, variant_name,
              count() AS requests, countIf(status != 'ok') AS errors, countIf(cached) AS cache_hits,
              sum(input_tokens) AS tokens_in, sum(output_tokens) AS tokens_out, sum(cost) AS total_cost,
              sumIf(input_tokens, cached) AS cached_in, sumIf(output_tokens, cached) AS cached_out
            FROM inferences ${whereSql(where)}
            GROUP BY day, model_name, function_name, variant_name`;
  const rows = await queryRows(client, query, where.params, usageRow);
  return rows.map((r) => ({
    day: r.day,
    model: r.model_name,
    fn: r.function_name,
    variant: r.variant_name,
    requests: r.requests,
    errors: r.errors,
    cacheHits: r.cache_hits,
    inputTokens: r.tokens_in,
    outputTokens: r.tokens_out,
    cost: r.total_cost,
    cachedInputTokens: r.cached_in,
    cachedOutputTokens: r.cached_out,
  }));
}
