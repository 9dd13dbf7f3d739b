import { expect, it } from "vitest";
import { describeTracking } from "@/db/test/tracking";
import { getExperiment } from "@/lib/tracking/experiments.server";
import { getRun } from "@/lib/tracking/runs.server";
import { NOTE_TAG } from "./edit-schemas";
import { createExperimentFromUi, createRunFromUi, editExperiment, editRun } from "./edit.server";

describeTracking("dashboard edits of experiments and runs", (stores) => {
  it("creates, renames, annotates, tags, deletes and restores an experiment", async () => {
    const { ctx } = stores();
    const made = await createExperimentFromUi(ctx, { name: "edit-exp", note: "first" });
    await expect(createExperimentFromUi(ctx, { name: "edit-exp" })).rejects.toMatchObject({ code: "conflict" });
    const id = made.experimentId;
    await editExperiment(ctx, id, { name: "edit-exp-2", note: "second", setTags: [{ key: "team", value: "search" }] });
    let exp = await getExperiment({ ctx, input: { experimentId: id } });
    expect(exp.name).toBe("edit-exp-2");
    expect(Object.fromEntries(exp.tags.map((t) => [t.key, t.value]))).toMatchObject({ [NOTE_TAG]: "second", team: "search" });
    await editExperiment(ctx, id, { note: "", deleteTags: ["team"] });
    exp = await getExperiment({ ctx, input: { experimentId: id } });
    expect(exp.tags).toEqual([]);
    expect(await editExperiment(ctx, id, { deleted: true })).toMatchObject({
      before: { lifecycleStage: "active" },
      after: { lifecycleStage: "deleted" },
    });
    expect(await editExperiment(ctx, id, { deleted: false, name: "edit-exp-3" })).toMatchObject({
      before: { lifecycleStage: "deleted", name: "edit-exp-2" },
      after: { lifecycleStage: "active", name: "edit-exp-3" },
    });
    await expect(editExperiment(ctx, "999999", { name: "x" })).rejects.toMatchObject({ code: "not_found" });
    await expect(editExperiment(ctx, id, { setTags: [{ key: NOTE_TAG, value: "x" }] })).rejects.toMatchObject({ code: "bad_request" });
  });

  it("creates, renames, annotates, tags, deletes and restores a run; a deleted run takes no writes but restore-and-rename", async () => {
    const { ctx } = stores();
    const { experimentId } = await createExperimentFromUi(ctx, { name: "edit-runs" });
    const run = await createRunFromUi(ctx, { experimentId, name: "first-try" });
    expect(run.runName).toBe("first-try");
    const unnamed = await createRunFromUi(ctx, { experimentId });
    expect(unnamed.runName).toMatch(/\S+-\S+/);
    await editRun(ctx, run.runId, { name: "better-name", note: "why this run", setTags: [{ key: "stage", value: "draft" }] });
    const loaded = await getRun({ ctx, input: { runId: run.runId } });
    expect(loaded.info.runName).toBe("better-name");
    expect(Object.fromEntries(loaded.data.tags.map((t) => [t.key, t.value]))).toMatchObject({ [NOTE_TAG]: "why this run", stage: "draft" });
    expect(await editRun(ctx, run.runId, { deleted: true })).toMatchObject({
      before: { lifecycleStage: "active", runName: "better-name" },
      after: { lifecycleStage: "deleted" },
    });
    await expect(editRun(ctx, run.runId, { name: "while deleted" })).rejects.toMatchObject({ code: "bad_request" });
    expect(await editRun(ctx, run.runId, { deleted: false, name: "back" })).toMatchObject({
      before: { lifecycleStage: "deleted" },
      after: { lifecycleStage: "active", runName: "back" },
    });
    await expect(editRun(ctx, "0".repeat(32), { name: "x" })).rejects.toMatchObject({ code: "not_found" });
  });
});
