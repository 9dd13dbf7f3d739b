import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { count, queryRows, real } from "@/lib/clickhouse/rows.server";
import { inferenceConditions, whereSql } from "@/lib/inference/filter";
import type { CascadeRow } from "./cascade";

const cascadeRow = z.object({
  variant_name: z.string(),
  n: count,
  escalated: count,
  cost: real,
  input_tokens: count,
  output_tokens: count,
});

/** Per cascade variant (inferences tagged `llmops.cascade`): answered inferences, escalated ones, cost and tokens. */
export async function cascadeStats(client: ClickHouseClient, functionName: string, from: number, to: number): Promise<CascadeRow[]> {
  const where = inferenceConditions({ from, to, functionName, status: "ok" }, { precision: "second" });
  const found = await queryRows(
    client,
    `SELECT variant_name, count() AS n, countIf(tags[{tag:String}] != '0') AS escalated, sum(cost) AS cost,
        sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens
      FROM inferences ${whereSql(where)} AND mapContains(tags, {tag:String})
      GROUP BY variant_name ORDER BY variant_name`,
    { ...where.params, tag: "llmops.cascade" },
    cascadeRow,
  );
  return found.map((r) => ({
    variant: r.variant_name,
    inferences: r.n,
    escalated: r.escalated,
    cost: r.cost ?? 0,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
  }));
}
