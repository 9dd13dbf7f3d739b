import { expect, it } from "vitest";
import { z } from "zod";
import { emptyReply } from "@/db/test/mlflow";
import { describeTracking } from "@/db/test/tracking";
import { wireRun } from "./entities";
import { wireModelVersion } from "./registry-entities";

const CLIENTS = 20;

describeTracking("MLflow API under concurrency", (stores) => {
  it("gives 20 clients registering versions of one model at once distinct consecutive numbers", async () => {
    const { client } = stores();
    await client.ok("POST", "/registered-models/create", { name: "busy-model" }, z.object({}).passthrough());
    const created = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        client.ok(
          "POST",
          "/model-versions/create",
          { name: "busy-model", source: `s3://m/${i}` },
          z.object({ model_version: wireModelVersion }),
        ),
      ),
    );
    const numbers = created.map((c) => Number(c.model_version.version)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: CLIENTS }, (_, i) => i + 1));
    // Each version kept the source its own client sent.
    for (const { model_version } of created) expect(model_version.source).toMatch(/^s3:\/\/m\/\d+$/);
  });

  it("leaves exactly one version in Production when 20 clients move 20 versions there at once, archiving the others", async () => {
    const { client } = stores();
    const name = "contended-model";
    await client.ok("POST", "/registered-models/create", { name }, z.object({}).passthrough());
    for (let i = 0; i < CLIENTS; i++) {
      await client.ok("POST", "/model-versions/create", { name, source: `s3://m/${i}` }, z.object({}).passthrough());
    }
    for (let round = 0; round < 3; round++) {
      const moved = await Promise.all(
        Array.from({ length: CLIENTS }, (_, i) =>
          client.ok(
            "POST",
            "/model-versions/transition-stage",
            { name, version: String(i + 1), stage: "Production", archive_existing_versions: true },
            z.object({ model_version: wireModelVersion }),
          ),
        ),
      );
      expect(moved.every((m) => m.model_version.current_stage === "Production")).toBe(true);
      const { model_versions } = await client.ok(
        "GET",
        "/model-versions/search",
        { filter: `name='${name}'`, max_results: 100 },
        z.object({ model_versions: z.array(wireModelVersion) }),
      );
      const stages = model_versions.map((v) => v.current_stage);
      expect(stages.filter((s) => s === "Production")).toHaveLength(1);
      expect(stages.filter((s) => s === "Archived")).toHaveLength(CLIENTS - 1);
    }
  });

  it("loses no metric when 20 clients log-batch to one run at once", async () => {
    const { client } = stores();
    const { run } = await client.ok("POST", "/runs/create", {}, z.object({ run: wireRun }));
    const keys = ["loss", "acc", "lr", "grad_norm", "tokens"];
    const perClient = 200;
    await Promise.all(
      Array.from({ length: CLIENTS }, (_, c) =>
        client.ok(
          "POST",
          "/runs/log-batch",
          {
            run_id: run.info.run_id,
            metrics: Array.from({ length: perClient }, (_, i) => {
              const step = c * perClient + i;
              return { key: keys[i % keys.length], value: step / 7, timestamp: 1_000 + step, step };
            }),
            params: [{ key: `client_${c}`, value: String(c) }],
            tags: [{ key: "shared", value: "same" }],
          },
          emptyReply,
        ),
      ),
    );
    const history = z.object({ metrics: z.array(z.object({ step: z.number() })) });
    let total = 0;
    for (const key of keys) {
      const { metrics } = await client.ok("GET", "/metrics/get-history", { run_id: run.info.run_id, metric_key: key }, history);
      expect(new Set(metrics.map((m) => m.step)).size).toBe(metrics.length);
      total += metrics.length;
    }
    expect(total).toBe(CLIENTS * perClient);
    const { run: after } = await client.ok("GET", "/runs/get", { run_id: run.info.run_id }, z.object({ run: wireRun }));
    const last = CLIENTS * perClient - 1;
    expect(after.data.metrics?.find((m) => m.key === "tokens")).toEqual({
      key: "tokens",
      value: last / 7,
      timestamp: 1_000 + last,
      step: last,
    });
    expect(after.data.params).toHaveLength(CLIENTS);
  });
});
