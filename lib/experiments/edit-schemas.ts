import { z } from "zod";

/** Bodies of the dashboard's writes to experiments and runs; safe for the browser. */

/** MLflow's note tag: the description shown on an experiment's or a run's page. */
export const NOTE_TAG = "mlflow.note.content";

const tag = z.object({ key: z.string().min(1, "a tag needs a key").max(250), value: z.string().max(8000) });

/** One change to an experiment or a run; fields left out stay as they are. `deleted` moves it to or from the trash (MLflow's soft delete). */
export const entityPatch = z.object({
  name: z.string().trim().min(1, "a name cannot be empty").max(500).optional(),
  deleted: z.boolean().optional(),
  note: z.string().max(8000).optional(),
  setTags: z.array(tag).max(100).optional(),
  deleteTags: z.array(z.string().min(1).max(250)).max(100).optional(),
});
export type EntityPatch = z.output<typeof entityPatch>;

export const createExperimentBody = z.object({
  name: z.string().trim().min(1, "a name is required").max(500),
  note: z.string().max(8000).optional(),
});
export const createRunBody = z.object({
  experimentId: z.string().min(1).max(32),
  name: z.string().trim().max(250).optional(),
  note: z.string().max(8000).optional(),
});

export const experimentChangeReply = z.object({ experimentId: z.string(), name: z.string(), lifecycleStage: z.string() });
export const runChangeReply = z.object({ runId: z.string(), experimentId: z.string(), runName: z.string(), lifecycleStage: z.string() });
