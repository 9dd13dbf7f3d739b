import "server-only";
import { randomUUID } from "node:crypto";
import { evaluationItems, evaluationRuns, type StoredScore } from "@/db/schema";
import { createFromItems } from "@/lib/datasets/service.server";
import { datasetName } from "@/lib/datasets/schemas";
import { resolveVersion } from "@/lib/datasets/store.server";
import { BadRequestError } from "@/lib/http/errors";
import { insertFeedback } from "@/lib/inference/store.server";
import { toClickHouseTime, type FeedbackRow } from "@/lib/inference/tables";
import { uuidAt } from "@/lib/gateway/ids";
import { finishMlflowRuns, startMlflowRuns, EVALUATOR_TAG } from "./mlflow.server";
import { candidateOf, evaluatorName, outputText, promptfooResults } from "./promptfoo-results";
import { getRunView, loadScoredItems, type EvaluationsContext } from "./runs.server";
import { summariseRun } from "./summary";
import { runTags } from "./execute.server";
import type { RunView } from "./schemas";

/**
 * Imports promptfoo's results.json (v3) as a finished evaluation run (source "promptfoo"): its
 * tests become a dataset version (vars as variables, asserts as assertions), each provider (and
 * prompt) a candidate, each row an item with its assertions' scores. Rows produced through the
 * llmops provider carry their inference id, so they link to the recorded inference and their
 * scores are also written as evaluator feedback. The run has MLflow runs like a native one.
 */
export async function importPromptfooResults(
  ctx: EvaluationsContext,
  raw: unknown,
  options: { dataset?: string; name?: string } = {},
): Promise<RunView> {
  const parsed = promptfooResults.safeParse(raw);
  if (!parsed.success) {
    throw new BadRequestError(
      `Not a promptfoo results.json (v3): ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const file = parsed.data;
  const rows = file.results.results;
  const promptCount = Math.max(file.results.prompts.length, new Set(rows.map((r) => r.promptIdx)).size);
  const tests = [...new Set(rows.map((r) => r.testIdx))].sort((a, b) => a - b);
  const configTests = Array.isArray(file.config.tests) ? (file.config.tests as { assert?: unknown[] }[]) : [];
  const name = datasetName.parse(
    options.dataset ?? `promptfoo-${(file.evalId ?? randomUUID()).replace(/[^A-Za-z0-9_.-]/g, "-")}`.slice(0, 100),
  );
  const dataset = await createFromItems(ctx, {
    name,
    source: { kind: "promptfoo" },
    items: tests.map((t) => {
      const first = rows.find((r) => r.testIdx === t)!;
      const asserts = (configTests[t]?.assert ?? first.gradingResult?.componentResults.map((c) => c.assertion).filter(Boolean) ?? []) as {
        type: string;
      }[];
      return {
        input: { variables: first.vars },
        context: typeof first.vars.context === "string" ? first.vars.context : undefined,
        assertions: asserts.filter((a) => a && typeof a.type === "string"),
      };
    }),
  });
  const version = await resolveVersion(ctx, dataset.name, dataset.version);
  const position = new Map(tests.map((t, i) => [t, i]));
  const candidateKeys = [...new Set(rows.map((r) => candidateOf(r, promptCount)))];
  const candidates = candidateKeys.map((key) => ({ key }));
  const functionName = String(rows.find((r) => r.response?.metadata?.function)?.response?.metadata?.function ?? "promptfoo");
  const evaluators = new Map<string, string>();
  const id = randomUUID();
  const now = Date.now();
  const seen = new Map<string, number>();
  const items = rows.map((r) => {
    const candidate = candidateOf(r, promptCount);
    const unit = `${candidate}:${r.testIdx}`;
    const repetition = seen.get(unit) ?? 0;
    seen.set(unit, repetition + 1);
    const scores: Record<string, StoredScore> = {};
    (r.gradingResult?.componentResults ?? []).forEach((c, i) => {
      const key = evaluatorName(c.assertion, i);
      evaluators.set(key, c.assertion?.type ?? "promptfoo");
      scores[key] = { score: c.score, pass: c.pass, ...(c.reason ? { reason: c.reason } : {}) };
    });
    const meta = r.response?.metadata ?? {};
    const errored = Boolean(r.error) && !r.response;
    return {
      runId: id,
      candidate,
      itemPosition: position.get(r.testIdx)!,
      repetition,
      status: errored ? ("error" as const) : ("done" as const),
      inferenceId: typeof meta.inference_id === "string" ? meta.inference_id : null,
      variantName: typeof meta.variant === "string" ? meta.variant : null,
      promptVersion: typeof meta.prompt_version === "string" ? meta.prompt_version : null,
      output: outputText(r.response?.output),
      latencyMs: Math.round(r.latencyMs),
      cost: r.cost ?? 0,
      scores,
      passed: r.success,
      error: r.error ?? null,
      attempts: 1,
      finishedAt: now,
    };
  });
  const mlflow = await startMlflowRuns(ctx, {
    runId: id,
    name: options.name ?? `promptfoo ${file.evalId ?? ""}`.trim(),
    functionName,
    candidates,
    dataset: version,
    repetitions: Math.max(...seen.values()),
    evaluators: [...evaluators.keys()],
  });
  await ctx.db.transaction(async (tx) => {
    await tx.insert(evaluationRuns).values({
      id,
      name: options.name ?? `promptfoo ${file.evalId ?? ""}`.trim(),
      functionName,
      datasetVersionId: version.id,
      candidates,
      evaluators: [...evaluators].map(([n, type]) => ({ name: n, type })),
      repetitions: Math.max(...seen.values()),
      concurrency: 1,
      status: "finished",
      source: "promptfoo",
      total: items.length,
      experimentId: Number(mlflow.experimentId),
      mlflowRunIds: mlflow.runIds,
      createdAt: now,
      startedAt: file.results.timestamp ? Date.parse(file.results.timestamp) || now : now,
      finishedAt: now,
    });
    for (let start = 0; start < items.length; start += 500) await tx.insert(evaluationItems).values(items.slice(start, start + 500));
  });
  const feedback: FeedbackRow[] = items.flatMap((item, k) =>
    item.inferenceId
      ? Object.entries(item.scores).map(([metric, s], i) => ({
          id: uuidAt(now + k * 50 + i),
          target_type: "inference" as const,
          target_id: item.inferenceId!,
          function_name: functionName,
          variant_name: item.variantName ?? item.candidate,
          metric_name: metric,
          kind: "float" as const,
          value: s.score,
          text: s.reason ?? "",
          tags: {
            ...runTags(id, item.itemPosition),
            "llmops.source": "evaluator",
            [EVALUATOR_TAG]: metric,
            "llmops.imported_from": "promptfoo",
          },
          timestamp: toClickHouseTime(new Date(now)),
        }))
      : [],
  );
  if (feedback.length) await insertFeedback(ctx.clickhouse, feedback);
  await finishMlflowRuns(ctx, mlflow.runIds, summariseRun(candidateKeys, await loadScoredItems(ctx.db, id)), "FINISHED");
  return getRunView(ctx, id);
}
