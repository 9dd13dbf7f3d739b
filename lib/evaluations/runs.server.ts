import "server-only";
import { randomUUID } from "node:crypto";
import type { ClickHouseClient } from "@clickhouse/client";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { datasetItems, evaluationItems, evaluationRuns, type StoredEvaluator } from "@/db/schema";
import { resolveVersion, versionById } from "@/lib/datasets/store.server";
import type { GatewayConfig } from "@/lib/gateway/config";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/http/errors";
import { resolveCandidates } from "./candidates.server";
import { evaluatorSpec, type EvaluatorSpec } from "./evaluator-spec";
import { startMlflowRuns } from "./mlflow.server";
import { createRunInput, type CreateRunInput, type ItemView, type RunListEntry, type RunView } from "./schemas";
import { checkThresholds, summariseRun, type ScoredItem } from "./summary";

/** What the evaluation services run against: both stores. */
export interface EvaluationsContext {
  db: Db;
  clickhouse: ClickHouseClient;
}

type RunRow = typeof evaluationRuns.$inferSelect;

const MAX_UNITS = 200_000;

/** The function's own evaluators (llmops.toml) and the run's, by name; the run's win on a clash. */
export function runEvaluators(config: GatewayConfig, functionName: string, given: EvaluatorSpec[], useConfig: boolean): EvaluatorSpec[] {
  const fromConfig = useConfig
    ? Object.entries(config.functions[functionName]?.evaluators ?? {}).map(([name, e]) => evaluatorSpec.parse({ name, ...e }))
    : [];
  const byName = new Map([...fromConfig, ...given].map((e) => [e.name, e]));
  return [...byName.values()];
}

/**
 * Creates a queued run: one work unit per (candidate, item, repetition), and one MLflow run per
 * candidate. Workers on any app server pick the units up (worker.server.ts).
 */
export async function createEvaluationRun(
  ctx: EvaluationsContext,
  config: GatewayConfig,
  raw: CreateRunInput,
  now = Date.now(),
): Promise<RunView> {
  const input = createRunInput.parse(raw);
  const candidates = await resolveCandidates(ctx.db, config, input.function, input.candidates);
  const dataset = await resolveVersion(ctx, input.dataset.name, input.dataset.version);
  const evaluators = runEvaluators(config, input.function, input.evaluators, input.config_evaluators);
  const total = candidates.length * dataset.itemCount * input.repetitions;
  if (total > MAX_UNITS) throw new BadRequestError(`${total} item runs is more than the ${MAX_UNITS} one run may hold`);
  const id = randomUUID();
  const name = input.name ?? `${input.function} on ${dataset.name}`;
  const mlflow = await startMlflowRuns(ctx, {
    runId: id,
    name,
    functionName: input.function,
    candidates,
    dataset,
    repetitions: input.repetitions,
    evaluators: evaluators.map((e) => e.name),
  });
  const stored: StoredEvaluator[] = evaluators.map((e) => ({ ...e }));
  if (input.judge) stored.push({ name: "__judge", type: "judge-target", judge: input.judge });
  await ctx.db.transaction(async (tx) => {
    await tx.insert(evaluationRuns).values({
      id,
      name,
      functionName: input.function,
      datasetVersionId: dataset.id,
      candidates,
      evaluators: stored,
      thresholds: input.thresholds,
      repetitions: input.repetitions,
      concurrency: input.concurrency,
      total,
      experimentId: Number(mlflow.experimentId),
      mlflowRunIds: mlflow.runIds,
      createdAt: now,
    });
    const units: (typeof evaluationItems.$inferInsert)[] = [];
    for (let position = 0; position < dataset.itemCount; position++)
      for (let repetition = 0; repetition < input.repetitions; repetition++)
        for (const c of candidates) units.push({ runId: id, candidate: c.key, itemPosition: position, repetition });
    for (let start = 0; start < units.length; start += 1000) await tx.insert(evaluationItems).values(units.slice(start, start + 1000));
  });
  return getRunView(ctx, id);
}

/** The stored evaluator list without the run's default judge, and that judge. */
export function splitEvaluators(stored: StoredEvaluator[]) {
  const judge = stored.find((e) => e.name === "__judge");
  return {
    specs: stored.filter((e) => e.name !== "__judge").map((e) => evaluatorSpec.parse(e)),
    judge: judge?.judge as EvaluatorSpec["judge"],
  };
}

export async function getRunRow(db: Db, id: string): Promise<RunRow> {
  const [row] = await db.select().from(evaluationRuns).where(eq(evaluationRuns.id, id));
  if (!row) throw new NotFoundError(`No evaluation run ${id}`);
  return row;
}

/** Units per status of each run (an index scan, no item rows): progress without the summary. */
export async function counts(db: Db, ids: string[]) {
  if (!ids.length) return new Map<string, Record<string, number>>();
  const found = await db
    .select({ runId: evaluationItems.runId, status: evaluationItems.status, n: sql<number>`count(*)::int` })
    .from(evaluationItems)
    .where(inArray(evaluationItems.runId, ids))
    .groupBy(evaluationItems.runId, evaluationItems.status);
  const map = new Map<string, Record<string, number>>();
  for (const r of found) map.set(r.runId, { ...map.get(r.runId), [r.status]: Number(r.n) });
  return map;
}

function progressOf(row: RunRow, c: Record<string, number> = {}, now = Date.now()) {
  const done = c.done ?? 0;
  const errors = c.error ?? 0;
  const finished = done + errors;
  const remaining = row.total - finished;
  const elapsed = row.startedAt ? (now - row.startedAt) / 1000 : 0;
  const active = row.status === "queued" || row.status === "running";
  return {
    total: row.total,
    done,
    errors,
    running: c.running ?? 0,
    pending: c.pending ?? 0,
    etaSeconds: active && finished > 0 && elapsed > 0 ? Math.round((remaining * elapsed) / finished) : null,
  };
}

export async function loadScoredItems(db: Db, runId: string): Promise<ScoredItem[]> {
  return db
    .select({
      candidate: evaluationItems.candidate,
      position: evaluationItems.itemPosition,
      repetition: evaluationItems.repetition,
      status: evaluationItems.status,
      scores: evaluationItems.scores,
      passed: evaluationItems.passed,
      cost: evaluationItems.cost,
      latencyMs: evaluationItems.latencyMs,
    })
    .from(evaluationItems)
    .where(eq(evaluationItems.runId, runId));
}

export async function getRunView(ctx: EvaluationsContext, id: string): Promise<RunView> {
  const row = await getRunRow(ctx.db, id);
  const dataset = row.datasetVersionId ? await versionById(ctx, row.datasetVersionId).catch(() => null) : null;
  const items = await loadScoredItems(ctx.db, id);
  const c: Record<string, number> = {};
  for (const i of items) c[i.status] = (c[i.status] ?? 0) + 1;
  const summary = summariseRun(
    row.candidates.map((x) => x.key),
    items,
  );
  return {
    id: row.id,
    name: row.name,
    function: row.functionName,
    status: row.status,
    source: row.source,
    dataset: dataset && { name: dataset.name, version: dataset.version, digest: dataset.digest },
    candidates: row.candidates,
    // Shown as stored: an imported promptfoo run may name types this app does not run itself.
    evaluators: row.evaluators.filter((e) => e.name !== "__judge"),
    repetitions: row.repetitions,
    concurrency: row.concurrency,
    progress: progressOf(row, c),
    summary,
    thresholds: checkThresholds(summary, row.thresholds),
    mlflow: { experimentId: row.experimentId === null ? null : String(row.experimentId), runIds: row.mlflowRunIds },
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

export async function listRuns(ctx: EvaluationsContext, filter: { function?: string; limit?: number } = {}): Promise<RunListEntry[]> {
  const rows = await ctx.db
    .select()
    .from(evaluationRuns)
    .where(filter.function ? eq(evaluationRuns.functionName, filter.function) : undefined)
    .orderBy(desc(evaluationRuns.createdAt))
    .limit(filter.limit ?? 200);
  const byRun = await counts(
    ctx.db,
    rows.map((r) => r.id),
  );
  const versions = new Map<string, RunListEntry["dataset"]>();
  for (const id of new Set(rows.map((r) => r.datasetVersionId).filter((v): v is string => Boolean(v)))) {
    const v = await versionById(ctx, id).catch(() => null);
    versions.set(id, v && { name: v.name, version: v.version, digest: v.digest });
  }
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    function: r.functionName,
    status: r.status,
    source: r.source,
    dataset: r.datasetVersionId ? (versions.get(r.datasetVersionId) ?? null) : null,
    candidates: r.candidates.map((c) => c.key),
    progress: progressOf(r, byRun.get(r.id)),
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
  }));
}

/** Stops handing out the run's work; items in flight finish, pending ones stay pending. */
export async function cancelRun(ctx: EvaluationsContext, id: string, now = Date.now()): Promise<RunView> {
  const [row] = await ctx.db
    .update(evaluationRuns)
    .set({ status: "cancelled", finishedAt: now })
    .where(and(eq(evaluationRuns.id, id), inArray(evaluationRuns.status, ["queued", "running"])))
    .returning();
  if (!row) {
    const existing = await getRunRow(ctx.db, id);
    throw new ConflictError(`Run ${id} is ${existing.status}; only queued or running runs can be cancelled`);
  }
  return getRunView(ctx, id);
}

/** The run's items with their dataset item, failures first when asked, paged. */
export async function listRunItems(
  ctx: EvaluationsContext,
  id: string,
  query: { failures?: boolean; candidate?: string; offset?: number; limit?: number },
): Promise<{ items: ItemView[]; total: number }> {
  const row = await getRunRow(ctx.db, id);
  const where = and(
    eq(evaluationItems.runId, id),
    query.candidate ? eq(evaluationItems.candidate, query.candidate) : undefined,
    query.failures ? sql`(${evaluationItems.status} = 'error' or ${evaluationItems.passed} = false)` : undefined,
  );
  const [{ total } = { total: 0 }] = await ctx.db
    .select({ total: sql<number>`count(*)::int` })
    .from(evaluationItems)
    .where(where);
  const found = await ctx.db
    .select({ item: evaluationItems, input: datasetItems.input, expected: datasetItems.expectedOutput })
    .from(evaluationItems)
    .leftJoin(
      datasetItems,
      and(eq(datasetItems.versionId, row.datasetVersionId ?? ""), eq(datasetItems.position, evaluationItems.itemPosition)),
    )
    .where(where)
    .orderBy(asc(evaluationItems.itemPosition), asc(evaluationItems.repetition), asc(evaluationItems.candidate))
    .offset(query.offset ?? 0)
    .limit(Math.min(query.limit ?? 100, 1000));
  return {
    total: Number(total),
    items: found.map(({ item: i, input, expected }) => ({
      id: i.id,
      candidate: i.candidate,
      position: i.itemPosition,
      repetition: i.repetition,
      status: i.status,
      input: input ?? "",
      expected: expected ?? null,
      output: i.output,
      inferenceId: i.inferenceId,
      variant: i.variantName,
      promptVersion: i.promptVersion,
      latencyMs: i.latencyMs,
      cost: i.cost,
      passed: i.passed,
      scores: i.scores,
      error: i.error,
    })),
  };
}
