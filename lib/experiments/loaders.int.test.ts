import { beforeAll, expect, it } from "vitest";
import { describeTracking } from "@/db/test/tracking";
import { DEMO_EXPERIMENT, seedTracking } from "@/lib/demo/tracking.server";
import { AppError } from "@/lib/http/errors";
import { readMetricHistory } from "@/lib/tracking/history.server";
import { listColumnKeys, listExperimentSummaries, listRunsPage, loadRunRows } from "./loaders.server";
import { loadHistory, loadRunDetail } from "./run-detail.server";

describeTracking("experiments page loaders", (stores) => {
  let experimentId = "";
  beforeAll(async () => {
    await seedTracking(stores().ctx, () => undefined, 1_800_000_000_000);
    const { experiments } = await listExperimentSummaries(stores().ctx, { q: "sentiment", view: "active", sort: "activity", dir: "desc" });
    experimentId = experiments[0]?.experimentId ?? "";
  }, 120_000);

  it("lists experiments with run counts, last activity and a name search", async () => {
    const { ctx } = stores();
    const all = await listExperimentSummaries(ctx, { q: "", view: "active", sort: "runs", dir: "desc" });
    expect(all.experiments.map((e) => [e.name, e.runCount])).toEqual([
      [DEMO_EXPERIMENT, 14],
      ["ticket-summary-evals", 3],
      ["Default", 0],
    ]);
    const found = all.experiments[0];
    expect(found?.lastRunTime).toBeGreaterThan(1_800_000_000_000 - 3 * 24 * 3600_000);
    expect(found?.description).toBe("Fine-tuning small encoders on product reviews.");
    expect(
      (await listExperimentSummaries(ctx, { q: "TICKET", view: "active", sort: "name", dir: "asc" })).experiments.map((e) => e.name),
    ).toEqual(["ticket-summary-evals"]);
    expect((await listExperimentSummaries(ctx, { q: "", view: "deleted", sort: "name", dir: "asc" })).experiments).toEqual([]);
  });

  it("pages, sorts and filters runs with the API's DSL, and counts all matches", async () => {
    const { ctx } = stores();
    const base = {
      experimentIds: [experimentId],
      filter: "",
      sort: "metric:accuracy",
      dir: "desc" as const,
      page: 1,
      size: 5,
      view: "active" as const,
    };
    const first = await listRunsPage(ctx, base);
    expect(first.total).toBe(14);
    expect(first.hasNext).toBe(true);
    const accuracies = first.runs.map((r) => r.metrics.accuracy);
    expect([...accuracies].sort((a, b) => Number(b) - Number(a))).toEqual(accuracies);
    const third = await listRunsPage(ctx, { ...base, page: 3 });
    expect(third.runs).toHaveLength(4);
    expect(third.hasNext).toBe(false);
    const filtered = await listRunsPage(ctx, { ...base, filter: "params.model = 'minilm' and attributes.status = 'FINISHED'", size: 50 });
    expect(filtered.total).toBe(filtered.runs.length);
    expect(filtered.runs.every((r) => r.params.model === "minilm" && r.status === "FINISHED")).toBe(true);
    expect(filtered.total).toBeGreaterThan(4);
  });

  it("marks parents, children, datasets and registered versions", async () => {
    const { ctx } = stores();
    const { runs } = await listRunsPage(ctx, {
      experimentIds: [experimentId],
      filter: "",
      sort: "attr:start_time",
      dir: "asc",
      page: 1,
      size: 50,
      view: "active",
    });
    const sweep = runs.find((r) => r.runName === "sweep-dropout");
    expect(sweep?.childCount).toBe(4);
    expect(runs.filter((r) => r.parentRunId === sweep?.runId)).toHaveLength(4);
    expect(sweep?.datasets).toEqual([{ name: "reviews-train", digest: "a1b2c3d4", context: "training" }]);
    expect(runs.flatMap((r) => r.models.map((m) => `${m.name}/${m.version}`)).sort()).toEqual([
      "sentiment-classifier/1",
      "sentiment-classifier/2",
    ]);
    const [loaded] = await loadRunRows(ctx, [sweep?.runId ?? ""]);
    expect(loaded?.runName).toBe("sweep-dropout");
  });

  it("rejects a bad filter with a 400 carrying MLflow's message", async () => {
    const { ctx } = stores();
    const error = await listRunsPage(ctx, {
      experimentIds: [experimentId],
      filter: "params.model = minilm",
      sort: "attr:start_time",
      dir: "desc",
      page: 1,
      size: 25,
      view: "active",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).message).toMatch(/not quoted/);
  });

  it("offers the metric, param and tag keys for the column chooser", async () => {
    const keys = await listColumnKeys(stores().ctx, [experimentId]);
    expect(keys.metrics).toEqual(["accuracy", "train_loss", "val_loss"]);
    expect(keys.params).toEqual(expect.arrayContaining(["batch_size", "dropout", "lr", "model", "optimizer"]));
    expect(keys.tags).toEqual(expect.arrayContaining(["mlflow.runName", "team"]));
  });

  it("loads a run's detail: parent, children, inputs, latest metrics", async () => {
    const { ctx } = stores();
    const { runs } = await listRunsPage(ctx, {
      experimentIds: [experimentId],
      filter: "attributes.run_name = 'dropout-0.1'",
      sort: "attr:start_time",
      dir: "asc",
      page: 1,
      size: 5,
      view: "active",
    });
    const child = runs[0];
    const detail = await loadRunDetail(ctx, child?.runId ?? "");
    expect(detail.experimentName).toBe(DEMO_EXPERIMENT);
    expect(detail.parent?.runName).toBe("sweep-dropout");
    expect(detail.inputs[0]).toMatchObject({ name: "reviews-train", tags: [{ key: "mlflow.data.context", value: "training" }] });
    expect(detail.latest.map((m) => m.key)).toEqual(["accuracy", "train_loss", "val_loss"]);
    expect(detail.latest[0]?.step).toBe(199);
    const parent = await loadRunDetail(ctx, detail.parent?.runId ?? "");
    expect(parent.children.map((c) => c.runName).sort()).toEqual(["dropout-0.0", "dropout-0.1", "dropout-0.2", "dropout-0.3"]);
    await expect(loadRunDetail(ctx, "nope")).rejects.toMatchObject({ status: 404 });
  });

  it("downsamples histories in ClickHouse to min/max buckets that keep the extremes", async () => {
    const { ctx } = stores();
    const { runs } = await listRunsPage(ctx, {
      experimentIds: [experimentId],
      filter: "",
      sort: "attr:start_time",
      dir: "asc",
      page: 1,
      size: 3,
      view: "active",
    });
    const ids = runs.map((r) => r.runId);
    const reply = await loadHistory(ctx, { runs: ids, keys: ["val_loss", "accuracy"], x: "step", buckets: 20 });
    expect(reply.series.map((s) => [s.runId, s.key])).toEqual(
      ids.flatMap((id) => [
        [id, "val_loss"],
        [id, "accuracy"],
      ]),
    );
    for (const series of reply.series) {
      expect(series.total).toBe(300);
      expect(series.points.length).toBeLessThanOrEqual(80);
      const full = await readMetricHistory(ctx.clickhouse, { runId: series.runId, key: series.key, offset: 0 });
      const ys = series.points.map(([, y]) => y);
      expect(Math.max(...ys)).toBe(Math.max(...full.map((p) => p.value)));
      expect(Math.min(...ys)).toBe(Math.min(...full.map((p) => p.value)));
      expect(series.points[0]?.[0]).toBe(0);
      expect(series.points.at(-1)?.[0]).toBe(299);
    }
    const byTime = await loadHistory(ctx, { runs: [ids[0] ?? ""], keys: ["accuracy"], x: "time" });
    expect(byTime.series[0]?.points[0]?.[0]).toBe(runs[0]?.startTime);
    expect(byTime.series[0]?.points).toHaveLength(300);
  });
});
