import { describe, expect, it } from "vitest";
import { z } from "zod";
import { emptyReply } from "@/db/test/mlflow";
import { describeTracking } from "@/db/test/tracking";
import { MLFLOW_API, type MlflowPath } from "./api.server";
import { wireExperiment, wireRun } from "./entities";
import { invokeEndpoint, type Endpoint, type MlflowMethod } from "./http.server";

const SEE_DOCS = " See the API docs for more information about request parameters.";
const created = z.object({ experiment_id: z.string() });
const got = z.object({ experiment: wireExperiment });
const searched = z.object({ experiments: z.array(wireExperiment).optional(), next_page_token: z.string().optional() });

describeTracking("MLflow experiments API", (stores) => {
  const create = async (name: string, extra: object = {}) =>
    (await stores().client.ok("POST", "/experiments/create", { name, ...extra }, created)).experiment_id;

  describe("create and get", () => {
    it("has the Default experiment 0 from the start", async () => {
      const { experiment } = await stores().client.ok("GET", "/experiments/get", { experiment_id: "0" }, got);
      expect(experiment).toMatchObject({
        experiment_id: "0",
        name: "Default",
        lifecycle_stage: "active",
        artifact_location: "mlflow-artifacts:/0",
      });
      expect(experiment.creation_time).toBeGreaterThan(1_600_000_000_000);
    });

    it("creates experiments with tags, returning string ids and int64 times as numbers", async () => {
      const before = Date.now();
      const id = await create("exp-create", {
        tags: [
          { key: "team", value: "nlp" },
          { key: "team", value: "ml" },
        ],
      });
      expect(id).toMatch(/^\d+$/);
      const { experiment } = await stores().client.ok("GET", "/experiments/get", { experiment_id: id }, got);
      expect(experiment).toEqual({
        experiment_id: id,
        name: "exp-create",
        artifact_location: `mlflow-artifacts:/${id}`,
        lifecycle_stage: "active",
        creation_time: expect.any(Number),
        last_update_time: expect.any(Number),
        tags: [{ key: "team", value: "ml" }],
      });
      expect(experiment.creation_time).toBeGreaterThanOrEqual(before);
      const byName = await stores().client.ok("GET", "/experiments/get-by-name", { experiment_name: "exp-create" }, got);
      expect(byName.experiment.experiment_id).toBe(id);
    });

    it("keeps a given artifact location and omits tags when there are none", async () => {
      const id = await create("exp-location", { artifact_location: "s3://bucket/exp" });
      const { experiment } = await stores().client.ok("GET", "/experiments/get", { experiment_id: id }, got);
      expect(experiment.artifact_location).toBe("s3://bucket/exp");
      expect(experiment).not.toHaveProperty("tags");
      const { run } = await stores().client.ok("POST", "/runs/create", { experiment_id: id }, z.object({ run: wireRun }));
      expect(run.info.artifact_uri).toBe(`s3://bucket/exp/${run.info.run_id}/artifacts`);
    });

    it("answers MLflow's errors for duplicates, missing and bad fields, unknown ids", async () => {
      await create("exp-dup");
      expect(await stores().client.fail("POST", "/experiments/create", { name: "exp-dup" })).toEqual({
        status: 400,
        error_code: "RESOURCE_ALREADY_EXISTS",
        message: "Experiment(name=exp-dup) already exists.",
      });
      expect(await stores().client.fail("POST", "/experiments/create", {})).toEqual({
        status: 400,
        error_code: "INVALID_PARAMETER_VALUE",
        message: `Missing value for required parameter 'name'.${SEE_DOCS}`,
      });
      expect((await stores().client.fail("POST", "/experiments/create", { name: 42 })).message).toBe(
        `Invalid value 42 for parameter 'name' supplied. Hint: Value was of type 'int'.${SEE_DOCS}`,
      );
      expect((await stores().client.fail("POST", "/experiments/create", { name: "x".repeat(501) })).message).toBe(
        "Experiment name exceeds the maximum length of 500 characters",
      );
      expect(await stores().client.fail("GET", "/experiments/get", { experiment_id: "987654" })).toEqual({
        status: 404,
        error_code: "RESOURCE_DOES_NOT_EXIST",
        message: "No Experiment with id=987654 exists",
      });
      expect((await stores().client.fail("GET", "/experiments/get", { experiment_id: "abc" })).message).toBe(
        "Invalid experiment ID: 'abc'",
      );
      expect(await stores().client.fail("GET", "/experiments/get-by-name", { experiment_name: "nope" })).toMatchObject({
        status: 404,
        message: "Could not find experiment with name 'nope'",
      });
    });

    it("ignores unknown fields, as MLflow's parser does", async () => {
      const id = await create("exp-unknown", { colour: "blue" });
      expect(id).toMatch(/^\d+$/);
    });

    it("reads a write's message from its JSON body only, never the query string (a cross-site form cannot act)", async () => {
      const id = await create("exp-form-post");
      const send = (method: MlflowMethod, path: MlflowPath, query: string, init: RequestInit = {}) => {
        const endpoint = (MLFLOW_API[path] as Partial<Record<MlflowMethod, Endpoint>>)[method]!;
        return invokeEndpoint(
          endpoint,
          new Request(`http://mlflow.test/api/2.0/mlflow${path}?${query}`, { method, ...init }),
          stores().ctx,
        );
      };
      const missing = {
        error_code: "INVALID_PARAMETER_VALUE",
        message: `Missing value for required parameter 'experiment_id'.${SEE_DOCS}`,
      };
      // An HTML form POST to ?experiment_id=…, without a body and with an urlencoded one.
      const bare = await send("POST", "/experiments/delete", `experiment_id=${id}`);
      expect({ status: bare.status, json: await bare.json() }).toEqual({ status: 400, json: missing });
      const form = await send("POST", "/experiments/delete", `experiment_id=${id}`, {
        body: `experiment_id=${id}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(form.status).toBe(400);
      // A no-cors fetch: JSON under a content type that needs no preflight.
      const sneaky = await send("POST", "/experiments/delete", "", {
        body: JSON.stringify({ experiment_id: id }),
        headers: { "content-type": "text/plain;charset=json" },
      });
      expect(await sneaky.json()).toEqual({
        error_code: "INVALID_PARAMETER_VALUE",
        message: "Bad Request. Content-Type must be one of ['application/json'].",
      });
      const untyped = await send("POST", "/experiments/delete", "", {
        body: new TextEncoder().encode(JSON.stringify({ experiment_id: id })),
      });
      expect(await untyped.json()).toEqual({
        error_code: "INVALID_PARAMETER_VALUE",
        message: "Bad Request. Content-Type header is missing.",
      });
      // A body-less DELETE reads `{}` too, as MLflow's handlers do: the model named in the query is not the subject.
      const del = await send("DELETE", "/registered-models/delete", "name=anything");
      expect(await del.json()).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE", message: expect.stringContaining("'name'") });
      const { experiment } = await stores().client.ok("GET", "/experiments/get", { experiment_id: id }, got);
      expect(experiment.lifecycle_stage).toBe("active");
    });

    it("requires a JSON body for writes", async () => {
      const plain = await stores().client.call("POST", "/experiments/create", "name=x", { "content-type": "text/plain" });
      expect(plain).toEqual({
        status: 400,
        json: { error_code: "INVALID_PARAMETER_VALUE", message: "Bad Request. Content-Type must be one of ['application/json']." },
      });
      const broken = await stores().client.call("POST", "/experiments/create", "{oops");
      expect(broken.status).toBe(400);
      expect(broken.json).toMatchObject({
        error_code: "INVALID_PARAMETER_VALUE",
        message: expect.stringMatching(/^Request body is not valid JSON/),
      });
      const doubled = await stores().client.call(
        "POST",
        "/experiments/create",
        JSON.stringify(JSON.stringify({ name: "exp-double-encoded" })),
      );
      expect(doubled.status).toBe(200);
    });
  });

  describe("update, tags, delete and restore", () => {
    it("renames, refusing a taken name", async () => {
      const id = await create("exp-old-name");
      await create("exp-taken");
      await stores().client.ok("POST", "/experiments/update", { experiment_id: id, new_name: "exp-new-name" }, emptyReply);
      expect((await stores().client.ok("GET", "/experiments/get", { experiment_id: id }, got)).experiment.name).toBe("exp-new-name");
      expect(await stores().client.fail("POST", "/experiments/update", { experiment_id: id, new_name: "exp-taken" })).toMatchObject({
        status: 400,
        error_code: "RESOURCE_ALREADY_EXISTS",
      });
    });

    it("sets, overwrites and deletes tags", async () => {
      const id = await create("exp-tags");
      const { client } = stores();
      await client.ok("POST", "/experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "1" }, emptyReply);
      await client.ok("POST", "/experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "2" }, emptyReply);
      expect((await client.ok("GET", "/experiments/get", { experiment_id: id }, got)).experiment.tags).toEqual([{ key: "k", value: "2" }]);
      await client.ok("POST", "/experiments/delete-experiment-tag", { experiment_id: id, key: "k" }, emptyReply);
      expect(await client.fail("POST", "/experiments/delete-experiment-tag", { experiment_id: id, key: "k" })).toEqual({
        status: 404,
        error_code: "RESOURCE_DOES_NOT_EXIST",
        message: `No tag with name: k in experiment with id ${id}`,
      });
      expect(
        (await client.fail("POST", "/experiments/set-experiment-tag", { experiment_id: id, key: "x", value: "v".repeat(5001) })).message,
      ).toMatch(/had length 5001, which exceeded length limit of 5000$/);
    });

    it("soft-deletes an experiment with its runs, and restores both", async () => {
      const { client } = stores();
      const id = await create("exp-lifecycle");
      const { run } = await client.ok("POST", "/runs/create", { experiment_id: id }, z.object({ run: wireRun }));
      await client.ok("POST", "/experiments/delete", { experiment_id: id }, emptyReply);
      expect((await client.ok("GET", "/experiments/get", { experiment_id: id }, got)).experiment.lifecycle_stage).toBe("deleted");
      expect((await client.ok("GET", "/runs/get", { run_id: run.info.run_id }, z.object({ run: wireRun }))).run.info.lifecycle_stage).toBe(
        "deleted",
      );
      expect(await client.fail("POST", "/runs/create", { experiment_id: id })).toEqual({
        status: 400,
        error_code: "INVALID_PARAMETER_VALUE",
        message: `The experiment ${id} must be in the 'active' state. Current state is deleted.`,
      });
      expect((await client.fail("POST", "/experiments/update", { experiment_id: id, new_name: "zzz" })).message).toBe(
        "Cannot rename a non-active experiment.",
      );
      expect((await client.fail("POST", "/experiments/delete", { experiment_id: id })).status).toBe(404);
      await client.ok("POST", "/experiments/restore", { experiment_id: id }, emptyReply);
      expect((await client.ok("GET", "/runs/get", { run_id: run.info.run_id }, z.object({ run: wireRun }))).run.info.lifecycle_stage).toBe(
        "active",
      );
      expect((await client.fail("POST", "/experiments/restore", { experiment_id: id })).status).toBe(404);
      // A deleted experiment keeps its name reserved, as in MLflow.
      await client.ok("POST", "/experiments/delete", { experiment_id: id }, emptyReply);
      expect((await client.fail("POST", "/experiments/create", { name: "exp-lifecycle" })).error_code).toBe("RESOURCE_ALREADY_EXISTS");
    });
  });

  describe("search", () => {
    it("filters, orders, pages and honours view_type", async () => {
      const { client } = stores();
      for (const name of ["srch-a", "srch-b", "srch-c", "srch-d", "srch-e"])
        await create(name, { tags: [{ key: "suite", value: name < "srch-c" ? "x" : "y" }] });
      const deleted = await create("srch-z");
      await client.ok("POST", "/experiments/delete", { experiment_id: deleted }, emptyReply);

      const names = (r: z.infer<typeof searched>) => (r.experiments ?? []).map((e) => e.name);
      const all: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.ok(
          "POST",
          "/experiments/search",
          { filter: "name LIKE 'srch-%'", order_by: ["name DESC"], max_results: 2, page_token: token },
          searched,
        );
        all.push(...names(page));
        token = page.next_page_token;
      } while (token);
      expect(all).toEqual(["srch-e", "srch-d", "srch-c", "srch-b", "srch-a"]);

      const tagged = await client.ok(
        "GET",
        "/experiments/search",
        { filter: "tags.suite = 'x' AND name ILIKE 'SRCH-%'", order_by: "name ASC" },
        searched,
      );
      expect(names(tagged)).toEqual(["srch-a", "srch-b"]);
      const onlyDeleted = await client.ok(
        "GET",
        "/experiments/search",
        { filter: "name LIKE 'srch-%'", view_type: "DELETED_ONLY" },
        searched,
      );
      expect(names(onlyDeleted)).toEqual(["srch-z"]);
      const everything = await client.ok("POST", "/experiments/search", { filter: "name LIKE 'srch-%'", view_type: 3 }, searched);
      expect(names(everything)).toHaveLength(6);
      const recent = await client.ok(
        "POST",
        "/experiments/search",
        { filter: `creation_time >= ${Date.now() - 60_000} and name LIKE 'srch-%'` },
        searched,
      );
      expect(names(recent)).toHaveLength(5);
    });

    it("rejects bad max_results, filters and order_by with MLflow's messages", async () => {
      const { client } = stores();
      expect((await client.fail("POST", "/experiments/search", { max_results: 0 })).message).toBe(
        "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer",
      );
      expect((await client.fail("POST", "/experiments/search", { max_results: 50001 })).message).toBe(
        "Invalid value 50001 for parameter 'max_results' supplied. It must be at most 50000",
      );
      expect((await client.fail("POST", "/experiments/search", { filter: "metrics.a > 1" })).message).toBe(
        "Invalid entity type 'metrics'. Valid entity types are ('attribute', 'tag', 'tags')",
      );
      expect((await client.fail("POST", "/experiments/search", { order_by: ["tags.x"] })).message).toBe("Invalid order_by entity: tag");
      expect((await client.fail("POST", "/experiments/search", { page_token: "garbage!" })).message).toBe(
        "Invalid page token, could not base64-decode",
      );
      expect((await client.fail("POST", "/experiments/search", { view_type: "SOME" })).message).toMatch(
        /^Invalid value "SOME" for parameter 'view_type'/,
      );
    });
  });
});
