import "server-only";
import type { StoredCandidate } from "@/db/schema/evaluations";
import type { DatasetVersionInfo } from "@/lib/datasets/schemas";
import { createExperiment, getExperimentByName } from "@/lib/tracking/experiments.server";
import { logBatch, logInputs } from "@/lib/tracking/logging.server";
import { createRun, updateRun } from "@/lib/tracking/runs.server";
import type { TrackingContext } from "@/lib/tracking/context";
import { candidateVariantName } from "./candidates.server";
import { mlflowMetrics } from "./summary";
import type { CandidateSummary } from "./schemas";

/**
 * Every evaluation run is also MLflow runs: one per candidate, in the experiment
 * `evaluation: <run name>` (runs of the same evaluation side by side), with params (function,
 * variant, prompt version, model, dataset name and digest), the dataset version logged as input
 * (lineage dataset → run), and at the end metrics named as MLflow 3's genai.evaluate names them.
 */

export const EVALUATION_RUN_TAG = "llmops.evaluation_run";
export const DATASET_ITEM_TAG = "llmops.dataset_item";
export const EVALUATOR_TAG = "llmops.evaluator";

async function experimentFor(ctx: TrackingContext, name: string): Promise<string> {
  const experimentName = `evaluation: ${name}`.slice(0, 500);
  try {
    return (await getExperimentByName({ ctx, input: { name: experimentName } })).experimentId;
  } catch {
    try {
      return await createExperiment({ ctx, input: { name: experimentName, tags: [{ key: "llmops.kind", value: "evaluation" }] } });
    } catch {
      // Another server created it between the two calls.
      return (await getExperimentByName({ ctx, input: { name: experimentName } })).experimentId;
    }
  }
}

export async function startMlflowRuns(
  ctx: TrackingContext,
  input: {
    runId: string;
    name: string;
    functionName: string;
    candidates: StoredCandidate[];
    dataset: DatasetVersionInfo;
    repetitions: number;
    evaluators: string[];
  },
): Promise<{ experimentId: string; runIds: Record<string, string> }> {
  const experimentId = await experimentFor(ctx, input.name);
  const runIds: Record<string, string> = {};
  for (const c of input.candidates) {
    const linked = c.prompt ? [{ name: c.prompt.slice(9).split("/")[0], version: c.prompt.split("/").at(-1) }] : [];
    const run = await createRun({
      ctx,
      input: {
        experimentId,
        runName: `${input.name} · ${c.key}`,
        tags: [
          { key: EVALUATION_RUN_TAG, value: input.runId },
          { key: "llmops.function", value: input.functionName },
          { key: "llmops.candidate", value: c.key },
          ...(linked.length ? [{ key: "mlflow.linkedPrompts", value: JSON.stringify(linked) }] : []),
        ],
      },
    });
    const id = run.info.runId;
    runIds[c.key] = id;
    await logBatch({
      ctx,
      input: {
        runId: id,
        metrics: [],
        tags: [],
        params: [
          { key: "function", value: input.functionName },
          { key: "variant", value: candidateVariantName(c) },
          ...(c.prompt ? [{ key: "prompt_version", value: c.prompt.slice(9) }] : []),
          ...(c.model ? [{ key: "model", value: c.model }] : []),
          ...(c.registeredModelVersion ? [{ key: "registered_model_version", value: c.registeredModelVersion }] : []),
          { key: "dataset_name", value: input.dataset.name },
          { key: "dataset_digest", value: input.dataset.digest },
          { key: "dataset_version", value: String(input.dataset.version) },
          { key: "repetitions", value: String(input.repetitions) },
          { key: "evaluators", value: input.evaluators.join(",").slice(0, 6000) },
        ],
      },
    });
    const d = input.dataset.mlflow;
    await logInputs({
      ctx,
      input: {
        runId: id,
        datasets: [
          {
            dataset: { name: d.name, digest: d.digest, sourceType: d.source_type, source: d.source, schema: d.schema, profile: d.profile },
            tags: [{ key: "mlflow.data.context", value: "evaluation" }],
          },
        ],
      },
    });
  }
  return { experimentId, runIds };
}

/** Logs the summary's metrics and closes each candidate's MLflow run. */
export async function finishMlflowRuns(
  ctx: TrackingContext,
  runIds: Record<string, string>,
  summary: CandidateSummary[],
  status: "FINISHED" | "FAILED" | "KILLED",
  now = Date.now(),
): Promise<void> {
  for (const c of summary) {
    const runId = runIds[c.candidate];
    if (!runId) continue;
    const metrics = Object.entries(mlflowMetrics(c)).map(([key, value]) => ({ key, value, timestamp: now, step: 0 }));
    if (metrics.length) await logBatch({ ctx, input: { runId, metrics, params: [], tags: [] } });
    await updateRun({ ctx, input: { runId, status, endTime: now } });
  }
}
