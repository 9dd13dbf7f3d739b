import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { labelItems, labelQueues, labels, type StoredLabelField } from "@/db/schema";
import type { GatewayConfig } from "@/lib/gateway/config";
import { calibrate, type CalibrationPair, type VersionAgreement } from "./calibration";
import { RUNTIME_TAGS } from "./tags";

/** At most this many human labels are paired (a queue holds at most 10,000 items). */
const MAX_LABELS = 50_000;

interface HumanLabel {
  inferenceId: string;
  functionName: string;
  metric: string;
  human: number;
}

/** Humans' boolean and score labels, as metric values normalised to 0–1. */
export type CalibrationScope = { queueId: string } | { functionName: string } | { judgeFunction: string };

async function humanLabels(db: Db, where: CalibrationScope): Promise<HumanLabel[]> {
  const found = await db
    .select({
      inferenceId: labelItems.inferenceId,
      functionName: labelItems.functionName,
      field: labels.field,
      value: labels.value,
      fields: labelQueues.fields,
    })
    .from(labels)
    .innerJoin(labelItems, eq(labelItems.id, labels.itemId))
    .innerJoin(labelQueues, eq(labelQueues.id, labels.queueId))
    .where(
      "queueId" in where
        ? eq(labels.queueId, where.queueId)
        : "functionName" in where
          ? eq(labelItems.functionName, where.functionName)
          : undefined,
    )
    .limit(MAX_LABELS);
  return found.flatMap((row) => {
    const field = (row.fields as StoredLabelField[]).find((f) => f.key === row.field);
    if (!field) return [];
    const v = row.value;
    if (field.type === "boolean" && typeof v === "boolean") return [{ ...row, metric: field.metric, human: v ? 1 : 0 }];
    if (field.type === "score" && typeof v === "number") return [{ ...row, metric: field.metric, human: (v - 1) / 4 }];
    return [];
  });
}

/** Runtime judges' scores of those inferences: the newest per (inference, metric, judge version). */
async function judgeScores(client: ClickHouseClient, labels: HumanLabel[]) {
  const result = await client.query({
    query: `SELECT toString(target_id) AS target, metric_name, tags[{version:String}] AS version,
              argMax(value, timestamp) AS value, toUnixTimestamp64Milli(min(timestamp)) AS first
            FROM feedback
            WHERE function_name IN {fns:Array(String)} AND metric_name IN {metrics:Array(String)}
              AND target_type = 'inference' AND target_id IN {ids:Array(UUID)}
              AND tags['llmops.source'] = 'evaluator' AND tags[{version:String}] != ''
            GROUP BY target, metric_name, version`,
    query_params: {
      version: RUNTIME_TAGS.judgeVersion,
      fns: [...new Set(labels.map((l) => l.functionName))],
      metrics: [...new Set(labels.map((l) => l.metric))],
      ids: [...new Set(labels.map((l) => l.inferenceId))],
    },
    format: "JSONEachRow",
  });
  return result.json<{ target: string; metric_name: string; version: string; value: number; first: number | string }>();
}

/**
 * Judge–human agreement on a queue's inferences, on every labelled inference of a function, or of
 * every labelled inference a judge function (any of its variants and prompt versions) scored.
 */
export async function calibration(
  ctx: { db: Db; clickhouse: ClickHouseClient },
  config: GatewayConfig,
  where: CalibrationScope,
): Promise<VersionAgreement[]> {
  const human = await humanLabels(ctx.db, where);
  if (!human.length) return [];
  const scores = await judgeScores(ctx.clickhouse, human);
  const byTarget = new Map<string, typeof scores>();
  for (const s of scores) byTarget.set(`${s.target}|${s.metric_name}`, [...(byTarget.get(`${s.target}|${s.metric_name}`) ?? []), s]);
  const pairs: CalibrationPair[] = human.flatMap((h) =>
    (byTarget.get(`${h.inferenceId}|${h.metric}`) ?? []).map((s) => ({
      metric: h.metric,
      judgeVersion: s.version,
      inferenceId: h.inferenceId,
      human: h.human,
      judge: Number(s.value),
      judgedAt: Number(s.first),
    })),
  );
  // The judge's pass threshold is its evaluator's (default 0.5), per metric of the labelled functions.
  const thresholds: Record<string, number> = {};
  for (const fn of new Set(human.map((h) => h.functionName)))
    for (const [name, spec] of Object.entries(config.functions[fn]?.evaluators ?? {}))
      if (spec.threshold !== undefined) thresholds[name] = spec.threshold;
  const rows = calibrate(pairs, thresholds);
  return "judgeFunction" in where ? rows.filter((r) => r.judgeVersion.startsWith(`${where.judgeFunction}/`)) : rows;
}
