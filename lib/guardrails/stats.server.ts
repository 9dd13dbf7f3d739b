import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { count, queryRows, real } from "@/lib/clickhouse/rows.server";
import { inferenceConditions, whereSql } from "@/lib/inference/filter";
import { summariseVerdicts, type GuardrailLine } from "./summary";

const verdictCount = z.object({
  name: z.string(),
  kind: z.string(),
  stage: z.string(),
  mode: z.string(),
  outcome: z.string(),
  n: count,
  p50_ms: real,
  p95_ms: real,
});

/** A function's guardrail verdicts over a time range, one line per guardrail and stage. */
export async function guardrailSummary(client: ClickHouseClient, functionName: string, from: number, to: number): Promise<GuardrailLine[]> {
  const where = inferenceConditions({ from, to, functionName }, { precision: "second" });
  const rows = await queryRows(
    client,
    `SELECT g.name AS name, min(g.kind) AS kind, g.stage AS stage, min(g.mode) AS mode, g.outcome AS outcome, count() AS n,
        quantile(0.5)(g.duration_ms) AS p50_ms, quantile(0.95)(g.duration_ms) AS p95_ms
      FROM inferences ARRAY JOIN guardrails AS g ${whereSql(where)}
      GROUP BY name, stage, outcome ORDER BY name, stage, outcome`,
    where.params,
    verdictCount,
  );
  return summariseVerdicts(rows.map((r) => ({ ...r, p50_ms: r.p50_ms ?? 0, p95_ms: r.p95_ms ?? 0 })));
}
