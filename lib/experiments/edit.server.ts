import "server-only";
import type { z } from "zod";
import { BadRequestError } from "@/lib/http/errors";
import type { TrackingContext } from "@/lib/tracking/context";
import {
  createExperiment,
  deleteExperiment,
  deleteExperimentTag,
  getExperiment,
  renameExperiment,
  restoreExperiment,
  setExperimentTag,
} from "@/lib/tracking/experiments.server";
import { createRun, deleteRun, deleteRunTag, getRun, restoreRun, setRunTag, updateRun } from "@/lib/tracking/runs.server";
import { mlflowToApp } from "./errors";
import { NOTE_TAG, type createExperimentBody, type createRunBody, type EntityPatch } from "./edit-schemas";

/**
 * The dashboard's writes to experiments and runs, through the MLflow services (their validation,
 * limits and errors). A patch restores first and deletes last, because MLflow refuses writes to
 * a deleted run: "restore and rename" and "rename and delete" both work in one request. An edit
 * answers with the entity as it was and as it is (the audit log's before/after).
 */

function checkTags(patch: EntityPatch) {
  const keys = [...(patch.setTags ?? []).map((t) => t.key), ...(patch.deleteTags ?? [])];
  if (keys.includes(NOTE_TAG)) throw new BadRequestError(`edit the note with "note", not the ${NOTE_TAG} tag`);
}

export function createExperimentFromUi(ctx: TrackingContext, input: z.output<typeof createExperimentBody>) {
  return mlflowToApp(async () => {
    const tags = input.note?.trim() ? [{ key: NOTE_TAG, value: input.note }] : [];
    const experimentId = await createExperiment({ ctx, input: { name: input.name, tags } });
    return { experimentId, name: input.name, lifecycleStage: "active" };
  });
}

export function editExperiment(ctx: TrackingContext, experimentId: string, patch: EntityPatch) {
  return mlflowToApp(async () => {
    checkTags(patch);
    const before = await getExperiment({ ctx, input: { experimentId } });
    const summary = (e: typeof before) => ({ experimentId: e.experimentId, name: e.name, lifecycleStage: e.lifecycleStage });
    const hadNote = before.tags.some((t) => t.key === NOTE_TAG);
    if (patch.deleted === false) await restoreExperiment({ ctx, input: { experimentId } });
    if (patch.name !== undefined) await renameExperiment({ ctx, input: { experimentId, newName: patch.name } });
    if (patch.note !== undefined) {
      if (patch.note.trim()) await setExperimentTag({ ctx, input: { experimentId, tag: { key: NOTE_TAG, value: patch.note } } });
      else if (hadNote) await deleteExperimentTag({ ctx, input: { experimentId, key: NOTE_TAG } });
    }
    for (const tag of patch.setTags ?? []) await setExperimentTag({ ctx, input: { experimentId, tag } });
    for (const key of patch.deleteTags ?? []) await deleteExperimentTag({ ctx, input: { experimentId, key } });
    if (patch.deleted === true) await deleteExperiment({ ctx, input: { experimentId } });
    return { before: summary(before), after: summary(await getExperiment({ ctx, input: { experimentId } })) };
  });
}

export function createRunFromUi(ctx: TrackingContext, input: z.output<typeof createRunBody>) {
  return mlflowToApp(async () => {
    const tags = input.note?.trim() ? [{ key: NOTE_TAG, value: input.note }] : [];
    const run = await createRun({ ctx, input: { experimentId: input.experimentId, runName: input.name || undefined, tags } });
    return {
      runId: run.info.runId,
      experimentId: run.info.experimentId,
      runName: run.info.runName,
      lifecycleStage: run.info.lifecycleStage,
    };
  });
}

export function editRun(ctx: TrackingContext, runId: string, patch: EntityPatch) {
  return mlflowToApp(async () => {
    checkTags(patch);
    const before = await getRun({ ctx, input: { runId } });
    const summary = ({ info }: typeof before) => ({
      runId: info.runId,
      experimentId: info.experimentId,
      runName: info.runName,
      lifecycleStage: info.lifecycleStage,
    });
    const hadNote = before.data.tags.some((t) => t.key === NOTE_TAG);
    if (patch.deleted === false) await restoreRun({ ctx, input: { runId } });
    if (patch.name !== undefined) await updateRun({ ctx, input: { runId, runName: patch.name } });
    if (patch.note !== undefined) {
      if (patch.note.trim()) await setRunTag({ ctx, input: { runId, tag: { key: NOTE_TAG, value: patch.note } } });
      else if (hadNote) await deleteRunTag({ ctx, input: { runId, key: NOTE_TAG } });
    }
    for (const tag of patch.setTags ?? []) await setRunTag({ ctx, input: { runId, tag } });
    for (const key of patch.deleteTags ?? []) await deleteRunTag({ ctx, input: { runId, key } });
    if (patch.deleted === true) await deleteRun({ ctx, input: { runId } });
    return { before: summary(before), after: summary(await getRun({ ctx, input: { runId } })) };
  });
}

/** The audit log's verb for an edit: `deleted` or `restored` when it moved to or from the trash, else `edited`. */
export function editVerb(change: { before: { lifecycleStage: string }; after: { lifecycleStage: string } }): string {
  if (change.before.lifecycleStage === change.after.lifecycleStage) return "edited";
  return change.after.lifecycleStage === "deleted" ? "deleted" : "restored";
}
