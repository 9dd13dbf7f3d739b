import { rm } from "node:fs/promises";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { lineageEdges } from "@/db/schema";
import { emptyReply } from "@/db/test/mlflow";
import { tmpDir } from "@/db/test/postgres";
import { describeTracking } from "@/db/test/tracking";
import { openLocalStore } from "@/lib/artifacts/local-store.server";
import { artifactEndpoints } from "./artifact-endpoints.server";
import { wireRun } from "./entities";
import { sendLoggedModelFile } from "./logged-model-files.server";
import { wireLoggedModel } from "./logged-model-entities";
import { wireModelVersion } from "./registry-entities";

const modelReply = z.object({ model: wireLoggedModel });
const modelsReply = z.object({ models: z.array(wireLoggedModel).optional(), next_page_token: z.string().optional() });
const runReply = z.object({ run: wireRun });
const listReply = z.object({
  root_uri: z.string(),
  files: z.array(z.object({ path: z.string(), is_dir: z.boolean(), file_size: z.number().optional() })).optional(),
});
const versionReply = z.object({ model_version: wireModelVersion });

let root = "";
beforeAll(async () => {
  root = await tmpDir("artifacts");
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describeTracking("MLflow 3 logged models", (stores) => {
  const store = () => openLocalStore(root, 1024 ** 2);
  beforeAll(() => {
    stores().ctx.artifacts = store();
  });
  /** What `mlflow.<flavor>.log_model` uploads: files through the artifact proxy, under the model's location. */
  async function upload(location: string, files: Record<string, string>) {
    const base = location.replace("mlflow-artifacts:/", "");
    const proxy = artifactEndpoints(store);
    for (const [name, text] of Object.entries(files)) {
      const path = `${base}/${name}`.split("/");
      const res = await proxy.upload(
        new Request(`http://t/api/2.0/mlflow-artifacts/artifacts/${path.join("/")}`, { method: "PUT", body: text }),
        {
          params: Promise.resolve({ path }),
        },
      );
      expect(res.status).toBe(200);
    }
  }
  const call = (
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: Parameters<ReturnType<typeof stores>["client"]["call"]>[1],
    params: Record<string, string>,
    body?: unknown,
  ) => stores().client.call(method, path, body, {}, params);

  async function newRun(experimentName: string, artifactLocation?: string) {
    const { client } = stores();
    const { experiment_id } = await client.ok(
      "POST",
      "/experiments/create",
      { name: experimentName, artifact_location: artifactLocation },
      z.object({ experiment_id: z.string() }),
    );
    const { run } = await client.ok("POST", "/runs/create", { experiment_id, run_name: "train" }, runReply);
    return { experimentId: experiment_id, runId: run.info.run_id };
  }

  it("follows log_model: create PENDING, upload, log outputs, finalize READY, list and download its artifacts", async () => {
    const { client, ctx } = stores();
    const { experimentId, runId } = await newRun("lm-flow");
    const created = await client.ok(
      "POST",
      "/logged-models",
      {
        experiment_id: experimentId,
        name: "model",
        model_type: "sklearn",
        source_run_id: runId,
        params: [{ key: "alpha", value: "0.1" }],
        tags: [{ key: "team", value: "ml" }],
      },
      modelReply,
    );
    const id = created.model.info.model_id;
    expect(id).toMatch(/^m-[0-9a-f]{32}$/);
    expect(created.model).toEqual({
      info: {
        model_id: id,
        experiment_id: experimentId,
        name: "model",
        creation_timestamp_ms: expect.any(Number),
        last_updated_timestamp_ms: expect.any(Number),
        artifact_uri: `mlflow-artifacts:/${experimentId}/models/${id}/artifacts`,
        status: "LOGGED_MODEL_PENDING",
        model_type: "sklearn",
        source_run_id: runId,
        tags: [{ key: "team", value: "ml" }],
      },
      data: { params: [{ key: "alpha", value: "0.1" }] },
    });

    await upload(created.model.info.artifact_uri, {
      MLmodel: "flavors:\n  sklearn: {}\n",
      "model.pkl": "bytes",
      "requirements.txt": "scikit-learn\n",
    });
    await client.ok("POST", "/runs/outputs", { run_id: runId, models: [{ model_id: id, step: 0 }] }, emptyReply);
    const finalized = await call("PATCH", "/logged-models/{model_id}", { model_id: id }, { model_id: id, status: "LOGGED_MODEL_READY" });
    expect(finalized.status).toBe(200);
    expect(modelReply.parse(finalized.json).model.info.status).toBe("LOGGED_MODEL_READY");
    // Enums by number too, as protobuf's JSON parser reads them.
    expect(
      modelReply.parse((await call("PATCH", "/logged-models/{model_id}", { model_id: id }, { model_id: id, status: 2 })).json).model.info
        .status,
    ).toBe("LOGGED_MODEL_READY");

    const { run } = await client.ok("GET", "/runs/get", { run_id: runId }, runReply);
    expect(run.outputs).toEqual({ model_outputs: [{ model_id: id, step: 0 }] });

    const listed = listReply.parse((await call("GET", "/logged-models/{model_id}/artifacts/directories", { model_id: id }, {})).json);
    expect(listed).toEqual({
      root_uri: created.model.info.artifact_uri,
      files: [
        { path: "MLmodel", is_dir: false, file_size: 23 },
        { path: "model.pkl", is_dir: false, file_size: 5 },
        { path: "requirements.txt", is_dir: false, file_size: 13 },
      ],
    });
    const file = await sendLoggedModelFile(ctx, new Request(`http://t/x?artifact_file_path=requirements.txt`), id);
    expect(await file.text()).toBe("scikit-learn\n");
    const missing = await sendLoggedModelFile(ctx, new Request("http://t/x"), id);
    expect(await missing.json()).toEqual({
      error_code: "BAD_REQUEST",
      message: 'Request must include the "artifact_file_path" query parameter.',
    });

    const edges = await ctx.db
      .select()
      .from(lineageEdges)
      .where(and(eq(lineageEdges.dstKind, "logged_model"), eq(lineageEdges.dstId, id)));
    expect(edges.map((e) => `${e.srcKind}:${e.srcId} ${e.relation}`)).toEqual([`run:${runId} logged_model`]);
  });

  it("registers a version from a logged model (models:/m-…), tags the model and links the lineage", async () => {
    const { client, ctx } = stores();
    const { experimentId, runId } = await newRun("lm-registry");
    const { model } = await client.ok(
      "POST",
      "/logged-models",
      { experiment_id: experimentId, name: "model", source_run_id: runId },
      modelReply,
    );
    await client.ok("POST", "/registered-models/create", { name: "lm-clf" }, z.unknown());
    const created = await client.ok(
      "POST",
      "/model-versions/create",
      { name: "lm-clf", source: `models:/${model.info.model_id}`, model_id: model.info.model_id },
      versionReply,
    );
    expect(created.model_version).toMatchObject({
      version: "1",
      source: `models:/${model.info.model_id}`,
      run_id: runId,
      model_id: model.info.model_id,
    });
    const uri = await client.ok(
      "GET",
      "/model-versions/get-download-uri",
      { name: "lm-clf", version: "1" },
      z.object({ artifact_uri: z.string() }),
    );
    expect(uri.artifact_uri).toBe(model.info.artifact_uri);
    // Without model_id, the source alone names the model.
    await client.ok("POST", "/model-versions/create", { name: "lm-clf", source: `models:/${model.info.model_id}` }, versionReply);
    const tagged = modelReply.parse((await call("GET", "/logged-models/{model_id}", { model_id: model.info.model_id })).json);
    expect(tagged.model.info.tags).toContainEqual({
      key: "mlflow.modelVersions",
      value: JSON.stringify([
        { name: "lm-clf", version: 1 },
        { name: "lm-clf", version: 2 },
      ]),
    });
    const edges = await ctx.db
      .select()
      .from(lineageEdges)
      .where(and(eq(lineageEdges.relation, "registered_from"), eq(lineageEdges.dstId, model.info.model_id)));
    expect(edges.map((e) => e.srcId).sort()).toEqual(["lm-clf/1", "lm-clf/2"]);
    const unknown = await client.fail("POST", "/model-versions/create", { name: "lm-clf", source: `models:/m-${"0".repeat(32)}` });
    expect(unknown).toMatchObject({ status: 404, message: `Logged model with ID 'm-${"0".repeat(32)}' not found.` });
  });

  it("links metrics logged with a model_id, and searches by attributes, params, tags and metrics with MLflow's order_by", async () => {
    const { client } = stores();
    const { experimentId, runId } = await newRun("lm-search");
    const ids: string[] = [];
    for (const [i, alpha] of ["0.1", "0.5", "0.9"].entries()) {
      const { model } = await client.ok(
        "POST",
        "/logged-models",
        {
          experiment_id: experimentId,
          name: i === 2 ? "other" : "model",
          source_run_id: runId,
          params: [{ key: "alpha", value: alpha }],
          tags: [{ key: "rank", value: String(i) }],
        },
        modelReply,
      );
      ids.push(model.info.model_id);
      await client.ok(
        "POST",
        "/runs/log-batch",
        {
          run_id: runId,
          metrics: [
            {
              key: "accuracy",
              value: 0.5 + i / 10,
              timestamp: 1000 + i,
              step: 0,
              model_id: model.info.model_id,
              dataset_name: "test",
              dataset_digest: "d1",
            },
            {
              key: "accuracy",
              value: 0.1,
              timestamp: 900,
              step: 0,
              model_id: model.info.model_id,
              dataset_name: "train",
              dataset_digest: "d0",
            },
          ],
        },
        emptyReply,
      );
    }
    const search = async (body: object) =>
      (await client.ok("POST", "/logged-models/search", { experiment_ids: [experimentId], ...body }, modelsReply)).models ?? [];
    expect((await search({})).map((m) => m.info.model_id)).toEqual([...ids].reverse());
    expect((await search({ filter: "name = 'model'" })).map((m) => m.info.model_id).sort()).toEqual(ids.slice(0, 2).sort());
    expect((await search({ filter: "params.alpha IN ('0.1', '0.9') AND tags.rank != '0'" })).map((m) => m.info.model_id)).toEqual([ids[2]]);
    expect(
      (await search({ filter: "metrics.accuracy > 0.55", datasets: [{ dataset_name: "test" }] })).map((m) => m.info.model_id).sort(),
    ).toEqual(ids.slice(1).sort());
    expect(await search({ filter: "metrics.accuracy > 0.55", datasets: [{ dataset_name: "train" }] })).toEqual([]);
    expect((await search({ filter: `source_run_id = '${runId}' AND creation_timestamp > 0` })).length).toBe(3);
    const ordered = await search({ order_by: [{ field_name: "metrics.accuracy", ascending: false, dataset_name: "test" }] });
    expect(ordered.map((m) => m.info.model_id)).toEqual([...ids].reverse());
    const page = await client.ok("POST", "/logged-models/search", { experiment_ids: [experimentId], max_results: 2 }, modelsReply);
    expect(page.models).toHaveLength(2);
    const rest = await search({ max_results: 2, page_token: page.next_page_token });
    expect(rest.map((m) => m.info.model_id)).toEqual([ids[0]]);

    const [first] = await search({ filter: `model_id = '${ids[2]}'` });
    expect(first?.data.metrics).toEqual([
      {
        key: "accuracy",
        value: 0.7,
        timestamp: 1002,
        step: 0,
        dataset_name: "test",
        dataset_digest: "d1",
        model_id: ids[2],
        run_id: runId,
      },
      {
        key: "accuracy",
        value: 0.1,
        timestamp: 900,
        step: 0,
        dataset_name: "train",
        dataset_digest: "d0",
        model_id: ids[2],
        run_id: runId,
      },
    ]);
    for (const [body, message] of [
      [{ filter: "metrics.accuracy LIKE 'x'" }, /Invalid comparator/],
      [{ filter: "color = 'red'" }, /Invalid attribute key 'color'/],
      [{ order_by: [{ field_name: "params.alpha" }] }, /Only metrics are supported/],
      [{ experiment_ids: [] }, /Missing value for required parameter 'experiment_ids'/],
    ] as const) {
      expect((await client.fail("POST", "/logged-models/search", { experiment_ids: [experimentId], ...body })).message).toMatch(message);
    }
    const unknownModel = await client.fail("POST", "/runs/log-metric", {
      run_id: runId,
      key: "k",
      value: 1,
      timestamp: 1,
      model_id: "m-nope",
    });
    expect(unknownModel).toMatchObject({ status: 404, message: "Logged model with ID 'm-nope' not found." });
  });

  it("sets and deletes tags, keeps params immutable, soft-deletes, and reports bad input as MLflow does", async () => {
    const { client } = stores();
    const { experimentId, runId } = await newRun("lm-edit");
    const { model } = await client.ok("POST", "/logged-models", { experiment_id: experimentId }, modelReply);
    const id = model.info.model_id;
    expect(model.info.name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(
      (
        await call(
          "PATCH",
          "/logged-models/{model_id}/tags",
          { model_id: id },
          {
            tags: [
              { key: "a", value: "1" },
              { key: "b", value: "2" },
            ],
          },
        )
      ).status,
    ).toBe(200);
    expect((await call("DELETE", "/logged-models/{model_id}/tags/{tag_key}", { model_id: id, tag_key: "a" })).status).toBe(200);
    const noTag = await call("DELETE", "/logged-models/{model_id}/tags/{tag_key}", { model_id: id, tag_key: "a" });
    expect(noTag).toEqual({
      status: 404,
      json: { error_code: "RESOURCE_DOES_NOT_EXIST", message: `No tag with key 'a' found for model with ID '${id}'.` },
    });
    expect((await call("POST", "/logged-models/{model_id}/params", { model_id: id }, { params: [{ key: "p", value: "1" }] })).status).toBe(
      200,
    );
    expect((await call("POST", "/logged-models/{model_id}/params", { model_id: id }, { params: [{ key: "p", value: "1" }] })).status).toBe(
      200,
    );
    const changed = await call("POST", "/logged-models/{model_id}/params", { model_id: id }, { params: [{ key: "p", value: "2" }] });
    expect(changed.status).toBe(400);
    const got = modelReply.parse((await call("GET", "/logged-models/{model_id}", { model_id: id })).json);
    expect(got.model.info.tags).toEqual([{ key: "b", value: "2" }]);
    expect(got.model.data.params).toEqual([{ key: "p", value: "1" }]);

    await client.ok("POST", "/runs/log-inputs", { run_id: runId, models: [{ model_id: id }] }, emptyReply);
    expect((await client.ok("GET", "/runs/get", { run_id: runId }, runReply)).run.inputs.model_inputs).toEqual([{ model_id: id }]);

    expect((await call("DELETE", "/logged-models/{model_id}", { model_id: id })).status).toBe(200);
    expect(await call("GET", "/logged-models/{model_id}", { model_id: id })).toEqual({
      status: 404,
      json: { error_code: "RESOURCE_DOES_NOT_EXIST", message: `Logged model with ID '${id}' not found.` },
    });
    expect((await call("GET", "/logged-models/{model_id}", { model_id: id, allow_deleted: "true" })).status).toBe(200);
    expect((await client.ok("POST", "/logged-models/search", { experiment_ids: [experimentId] }, modelsReply)).models).toBeUndefined();

    expect((await client.fail("POST", "/logged-models", { experiment_id: experimentId, name: "a/b" })).message).toMatch(
      /^Invalid model name \('a\/b'\) provided/,
    );
    expect(await client.fail("POST", "/logged-models", { experiment_id: "424242" })).toMatchObject({
      status: 404,
      message: "No Experiment with id=424242 exists",
    });
    expect((await client.fail("POST", "/logged-models", {})).message).toMatch(/Missing value for required parameter 'experiment_id'/);
    expect((await call("PATCH", "/logged-models/{model_id}", { model_id: id }, { model_id: id, status: "DONE" })).status).toBe(400);
    expect(await client.fail("POST", "/runs/outputs", { run_id: runId, models: [{ model_id: "m-missing", step: 1 }] })).toMatchObject({
      status: 404,
    });
  });

  describe("run artifacts", () => {
    it("lists a run's artifacts with paths relative to its root, and refuses locations this server does not hold", async () => {
      const { client } = stores();
      const { runId } = await newRun("lm-run-artifacts");
      const { run } = await client.ok("GET", "/runs/get", { run_id: runId }, runReply);
      await upload(run.info.artifact_uri, { "plots/loss.png": "png", "notes.txt": "hello" });
      expect(await client.ok("GET", "/artifacts/list", { run_id: runId }, listReply)).toEqual({
        root_uri: run.info.artifact_uri,
        files: [
          { path: "notes.txt", is_dir: false, file_size: 5 },
          { path: "plots", is_dir: true },
        ],
      });
      expect((await client.ok("GET", "/artifacts/list", { run_uuid: runId, path: "plots" }, listReply)).files).toEqual([
        { path: "plots/loss.png", is_dir: false, file_size: 3 },
      ]);
      expect((await client.fail("GET", "/artifacts/list", { run_id: runId, path: "../x" })).message).toMatch(/^Invalid path/);
      const elsewhere = await newRun("lm-s3-located", "s3://bucket/path");
      expect((await client.fail("GET", "/artifacts/list", { run_id: elsewhere.runId })).message).toMatch(
        /which this server does not serve/,
      );
    });

    it("records runs/log-model in the run's mlflow.log-model.history tag", async () => {
      const { client } = stores();
      const { runId } = await newRun("lm-history");
      const model = { artifact_path: "model", flavors: { sklearn: {} }, utc_time_created: "2026-01-01", run_id: runId };
      await client.ok("POST", "/runs/log-model", { run_id: runId, model_json: JSON.stringify(model) }, emptyReply);
      await client.ok(
        "POST",
        "/runs/log-model",
        { run_id: runId, model_json: JSON.stringify({ ...model, artifact_path: "m2" }) },
        emptyReply,
      );
      const { run } = await client.ok("GET", "/runs/get", { run_id: runId }, runReply);
      const history = JSON.parse(run.data.tags?.find((t) => t.key === "mlflow.log-model.history")?.value ?? "[]") as {
        artifact_path: string;
      }[];
      expect(history.map((h) => h.artifact_path)).toEqual(["model", "m2"]);
      expect((await client.fail("POST", "/runs/log-model", { run_id: runId, model_json: "{}" })).message).toBe(
        "Model json is missing mandatory fields: {'artifact_path', 'flavors', 'utc_time_created', 'run_id'}",
      );
    });
  });
});
