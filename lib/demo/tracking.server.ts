import "server-only";
import { createModel, setModelAlias } from "@/lib/registry/models.server";
import { IS_PROMPT_TAG, PROMPT_TEXT_TAG } from "@/lib/registry/prompts";
import { createVersion } from "@/lib/registry/versions.server";
import type { Stores } from "@/lib/stores/index.server";
import type { TrackingContext } from "@/lib/tracking/context";
import { createExperiment } from "@/lib/tracking/experiments.server";
import { logBatch, logInputs } from "@/lib/tracking/logging.server";
import { createRun, updateRun } from "@/lib/tracking/runs.server";
import { DATASET_CONTEXT_TAG, LINKED_PROMPTS_TAG, PARENT_RUN_TAG } from "@/lib/tracking/tags";
import type { KeyValue, MetricPoint } from "@/lib/tracking/types";
import type { DemoSeeder } from "./types";

/**
 * Demo experiments, runs, registered models and prompts, written through the tracking and
 * registry services (as an MLflow client would), so the engineers' pages have content on a fresh
 * `npm start`. Deterministic: a seeded generator, fixed start times relative to the seeding time.
 */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const kv = (record: Record<string, string>): KeyValue[] => Object.entries(record).map(([key, value]) => ({ key, value }));

interface RunSpec {
  name: string;
  params: Record<string, string>;
  tags?: Record<string, string>;
  /** Final quality in [0, 1]: shapes the curves. */
  quality: number;
  steps: number;
  status?: "FINISHED" | "FAILED" | "RUNNING";
  dataset?: { name: string; digest: string; context: string };
}

/** Training curves: a decaying loss with noise, an accuracy rising to `quality`. */
function curves(spec: RunSpec, start: number, rand: () => number): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (let step = 0; step < spec.steps; step++) {
    const t = step / spec.steps;
    const noise = (rand() - 0.5) * 0.04;
    const timestamp = start + step * 2000;
    const trainLoss = 2.2 * Math.exp(-4 * t * (0.5 + spec.quality)) + 0.05 + noise;
    points.push({ key: "train_loss", value: trainLoss, timestamp, step });
    points.push({ key: "val_loss", value: trainLoss * (1.1 + (1 - spec.quality) * 0.6) + Math.abs(noise), timestamp, step });
    points.push({ key: "accuracy", value: Math.min(0.999, spec.quality * (1 - Math.exp(-6 * t)) + noise / 2), timestamp, step });
  }
  return points;
}

async function logRun(
  ctx: TrackingContext,
  experimentId: string,
  spec: RunSpec,
  start: number,
  rand: () => number,
  parent?: string,
): Promise<string> {
  const tags = { ...spec.tags, ...(parent ? { [PARENT_RUN_TAG]: parent } : {}) };
  const run = await createRun({ ctx, input: { experimentId, runName: spec.name, startTime: start, userId: "demo", tags: kv(tags) } });
  const runId = run.info.runId;
  const points = curves(spec, start, rand);
  for (let i = 0; i < points.length; i += 900) {
    await logBatch({ ctx, input: { runId, metrics: points.slice(i, i + 900), params: i === 0 ? kv(spec.params) : [], tags: [] } });
  }
  if (points.length === 0) await logBatch({ ctx, input: { runId, metrics: [], params: kv(spec.params), tags: [] } });
  if (spec.dataset) {
    const { name, digest, context } = spec.dataset;
    await logInputs({
      ctx,
      input: {
        runId,
        datasets: [
          {
            dataset: {
              name,
              digest,
              sourceType: "local",
              source: `{"uri": "data/${name}.jsonl"}`,
              schema: null,
              profile: `{"num_rows": 4200}`,
            },
            tags: [{ key: DATASET_CONTEXT_TAG, value: context }],
          },
        ],
      },
    });
  }
  const status = spec.status ?? "FINISHED";
  await updateRun({ ctx, input: { runId, status, endTime: status === "RUNNING" ? undefined : start + spec.steps * 2000 } });
  return runId;
}

export const DEMO_EXPERIMENT = "sentiment-classifier";
export const DEMO_MODEL = "sentiment-classifier";
export const DEMO_PROMPT = "ticket-summary";

const TRAIN = { name: "reviews-train", digest: "a1b2c3d4", context: "training" };

export async function seedTracking(
  ctx: TrackingContext,
  log: (message: string) => void = () => undefined,
  now = Date.now(),
): Promise<void> {
  const rand = random(42);
  const experimentId = await createExperiment({
    ctx,
    input: { name: DEMO_EXPERIMENT, tags: kv({ "mlflow.note.content": "Fine-tuning small encoders on product reviews.", team: "nlp" }) },
  });
  const models = ["distilbert", "minilm", "roberta-base"];
  const specs: RunSpec[] = [];
  for (let i = 0; i < 9; i++) {
    const model = models[i % models.length] ?? "minilm";
    const lr = ["0.0001", "0.0003", "0.001"][Math.floor(i / 3)] ?? "0.0003";
    specs.push({
      name: `${model}-lr${lr}`,
      params: { model, lr, batch_size: String([16, 32, 64][i % 3]), optimizer: i % 2 ? "adamw" : "sgd" },
      tags: { team: "nlp", "mlflow.source.name": "train.py" },
      quality: 0.78 + 0.02 * i + (model === "roberta-base" ? 0.03 : 0) - (lr === "0.001" ? 0.05 : 0),
      steps: 300,
      status: i === 4 ? "FAILED" : "FINISHED",
      dataset: TRAIN,
    });
  }
  const runIds: string[] = [];
  let start = now - 3 * 24 * 3600_000;
  for (const spec of specs) {
    runIds.push(await logRun(ctx, experimentId, spec, start, rand));
    start += 3 * 3600_000;
  }
  // A sweep: a parent run with nested children, as hyperparameter tuners log them.
  const sweep = await logRun(
    ctx,
    experimentId,
    { name: "sweep-dropout", params: { model: "minilm", search: "grid" }, tags: { team: "nlp" }, quality: 0.9, steps: 0, dataset: TRAIN },
    start,
    rand,
  );
  for (const [i, dropout] of ["0.0", "0.1", "0.2", "0.3"].entries()) {
    await logRun(
      ctx,
      experimentId,
      {
        name: `dropout-${dropout}`,
        params: { model: "minilm", dropout, lr: "0.0003" },
        tags: { team: "nlp" },
        quality: 0.86 + i * 0.02,
        steps: 200,
        dataset: TRAIN,
      },
      start + i * 600_000,
      rand,
      sweep,
    );
  }
  log(`tracking: ${specs.length + 5} runs in ${DEMO_EXPERIMENT}`);

  // Registered model versions from the two best runs, with aliases.
  await createModel({
    ctx,
    input: { name: DEMO_MODEL, description: "Review sentiment (positive / negative / neutral).", tags: kv({ task: "classification" }) },
  });
  const best = runIds.slice(-2);
  for (const runId of best) {
    await createVersion({
      ctx,
      input: { name: DEMO_MODEL, source: `runs:/${runId}/model`, runId, tags: kv({ framework: "transformers" }) },
    });
  }
  await setModelAlias({ ctx, input: { name: DEMO_MODEL, alias: "production", version: 1 } });
  await setModelAlias({ ctx, input: { name: DEMO_MODEL, alias: "staging", version: 2 } });

  // A prompt with three versions, evaluated by runs of a second experiment.
  const promptExperiment = await createExperiment({ ctx, input: { name: "ticket-summary-evals", tags: kv({ team: "support" }) } });
  await createModel({
    ctx,
    input: {
      name: DEMO_PROMPT,
      description: "Summarises a support ticket for the on-call engineer.",
      tags: kv({ [IS_PROMPT_TAG]: "true" }),
    },
  });
  const templates = [
    "Summarise this ticket in one sentence:\n{{ticket}}",
    "You are a support engineer. Summarise the ticket below in one sentence for the on-call engineer.\nTicket:\n{{ticket}}",
    "You are a support engineer. Summarise the ticket below in at most {{max_words}} words for the on-call engineer, naming the product ({{product}}).\nTicket:\n{{ticket}}",
  ];
  for (const [i, template] of templates.entries()) {
    const evalRun = await logRun(
      ctx,
      promptExperiment,
      {
        name: `eval-v${i + 1}`,
        params: { prompt: `prompts:/${DEMO_PROMPT}/${i + 1}`, judge: "gpt-4o-mini" },
        tags: { [LINKED_PROMPTS_TAG]: JSON.stringify([{ name: DEMO_PROMPT, version: String(i + 1) }]) },
        quality: 0.7 + i * 0.08,
        steps: 50,
        dataset: { name: "tickets-eval", digest: "f00dcafe", context: "evaluation" },
      },
      now - (3 - i) * 3600_000,
      rand,
    );
    await createVersion({
      ctx,
      input: {
        name: DEMO_PROMPT,
        source: `runs:/${evalRun}/prompt`,
        runId: evalRun,
        description: ["First draft", "Adds a role", "Bounded length and product"][i],
        tags: kv({ [PROMPT_TEXT_TAG]: template }),
      },
    });
  }
  await setModelAlias({ ctx, input: { name: DEMO_PROMPT, alias: "production", version: 2 } });
  await setModelAlias({ ctx, input: { name: DEMO_PROMPT, alias: "candidate", version: 3 } });
  log("tracking: registered model and prompt with versions and aliases");
}

export const trackingSeeder: DemoSeeder = {
  key: "tracking",
  run: (stores: Stores, log) => seedTracking({ db: stores.postgres.db, clickhouse: stores.clickhouse.client }, log),
};
