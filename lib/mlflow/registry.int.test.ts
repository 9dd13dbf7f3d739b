import { describe, expect, it } from "vitest";
import { z } from "zod";
import { emptyReply } from "@/db/test/mlflow";
import { describeTracking } from "@/db/test/tracking";
import { IS_PROMPT_TAG, PROMPT_TEXT_TAG } from "@/lib/registry/prompts";
import { ensurePromptVersion, getPromptVersion } from "@/lib/registry/repo.server";
import { wireModelVersion, wireRegisteredModel } from "./registry-entities";

const SEE_DOCS = " See the API docs for more information about request parameters.";
const modelReply = z.object({ registered_model: wireRegisteredModel });
const versionReply = z.object({ model_version: wireModelVersion });
const versionsReply = z.object({ model_versions: z.array(wireModelVersion).optional(), next_page_token: z.string().optional() });
const modelsReply = z.object({ registered_models: z.array(wireRegisteredModel).optional(), next_page_token: z.string().optional() });

describeTracking("MLflow model registry API", (stores) => {
  const createModel = async (name: string, extra: object = {}) =>
    (await stores().client.ok("POST", "/registered-models/create", { name, ...extra }, modelReply)).registered_model;
  const createVersion = async (name: string, extra: object = {}) =>
    (await stores().client.ok("POST", "/model-versions/create", { name, source: `s3://models/${name}`, ...extra }, versionReply))
      .model_version;

  describe("registered models", () => {
    it("creates, reads and updates a model; names are unique", async () => {
      const { client } = stores();
      const model = await createModel("clf", { description: "a classifier", tags: [{ key: "team", value: "ml" }] });
      expect(model).toEqual({
        name: "clf",
        creation_timestamp: expect.any(Number),
        last_updated_timestamp: expect.any(Number),
        description: "a classifier",
        tags: [{ key: "team", value: "ml" }],
      });
      expect(await client.fail("POST", "/registered-models/create", { name: "clf" })).toEqual({
        status: 400,
        error_code: "RESOURCE_ALREADY_EXISTS",
        message: "Registered Model (name=clf) already exists.",
      });
      expect((await client.fail("POST", "/registered-models/create", {})).message).toBe(
        `Missing value for required parameter 'name'.${SEE_DOCS}`,
      );
      const updated = await client.ok("PATCH", "/registered-models/update", { name: "clf", description: "better" }, modelReply);
      expect(updated.registered_model.description).toBe("better");
      expect(await client.fail("GET", "/registered-models/get", { name: "nope" })).toEqual({
        status: 404,
        error_code: "RESOURCE_DOES_NOT_EXIST",
        message: "Registered Model with name=nope not found",
      });
    });

    it("sets and deletes model tags", async () => {
      const { client } = stores();
      await createModel("tagged");
      await client.ok("POST", "/registered-models/set-tag", { name: "tagged", key: "k", value: "v" }, emptyReply);
      expect((await client.ok("GET", "/registered-models/get", { name: "tagged" }, modelReply)).registered_model.tags).toEqual([
        { key: "k", value: "v" },
      ]);
      await client.ok("DELETE", "/registered-models/delete-tag", { name: "tagged", key: "k" }, emptyReply);
      expect((await client.ok("GET", "/registered-models/get", { name: "tagged" }, modelReply)).registered_model).not.toHaveProperty(
        "tags",
      );
      expect(
        (await client.fail("POST", "/registered-models/set-tag", { name: "tagged", key: "k", value: "v".repeat(5001) })).message,
      ).toMatch(/^Registered model value '.*' had length 5001, which exceeded length limit of 5000$/);
    });
  });

  describe("model versions", () => {
    it("numbers versions, reports them READY in stage None, and lists the latest per stage", async () => {
      const { client } = stores();
      await createModel("numbered");
      const v1 = await createVersion("numbered", { run_id: "r1", tags: [{ key: "k", value: "v" }], description: "first" });
      expect(v1).toEqual({
        name: "numbered",
        version: "1",
        creation_timestamp: expect.any(Number),
        last_updated_timestamp: expect.any(Number),
        current_stage: "None",
        description: "first",
        source: "s3://models/numbered",
        run_id: "r1",
        status: "READY",
        tags: [{ key: "k", value: "v" }],
      });
      expect((await createVersion("numbered")).version).toBe("2");
      const model = (await client.ok("GET", "/registered-models/get", { name: "numbered" }, modelReply)).registered_model;
      expect(model.latest_versions?.map((v) => [v.version, v.current_stage])).toEqual([["2", "None"]]);
      expect(await client.fail("POST", "/model-versions/create", { name: "ghost", source: "x" })).toMatchObject({
        status: 404,
        message: "Registered Model with name=ghost not found",
      });
      expect((await client.fail("POST", "/model-versions/create", { name: "numbered" })).message).toBe(
        `Missing value for required parameter 'source'.${SEE_DOCS}`,
      );
    });

    it("gets, updates, tags and deletes versions; numbers are never reused", async () => {
      const { client } = stores();
      await createModel("lifecycle");
      await createVersion("lifecycle");
      await createVersion("lifecycle");
      expect((await client.ok("GET", "/model-versions/get", { name: "lifecycle", version: "2" }, versionReply)).model_version.version).toBe(
        "2",
      );
      expect(await client.fail("GET", "/model-versions/get", { name: "lifecycle", version: "9" })).toEqual({
        status: 404,
        error_code: "RESOURCE_DOES_NOT_EXIST",
        message: "Model Version (name=lifecycle, version=9) not found",
      });
      expect((await client.fail("GET", "/model-versions/get", { name: "lifecycle", version: "two" })).message).toBe(
        "Model version must be an integer, got 'two'",
      );
      const updated = await client.ok(
        "PATCH",
        "/model-versions/update",
        { name: "lifecycle", version: "1", description: "d" },
        versionReply,
      );
      expect(updated.model_version.description).toBe("d");
      await client.ok("POST", "/model-versions/set-tag", { name: "lifecycle", version: "1", key: "k", value: "v" }, emptyReply);
      await client.ok("DELETE", "/model-versions/delete-tag", { name: "lifecycle", version: "1", key: "k" }, emptyReply);
      expect(
        await client.ok(
          "GET",
          "/model-versions/get-download-uri",
          { name: "lifecycle", version: 1 },
          z.object({ artifact_uri: z.string() }),
        ),
      ).toEqual({
        artifact_uri: "s3://models/lifecycle",
      });
      await client.ok("DELETE", "/model-versions/delete", { name: "lifecycle", version: "2" }, emptyReply);
      expect((await client.fail("GET", "/model-versions/get", { name: "lifecycle", version: "2" })).status).toBe(404);
      expect((await createVersion("lifecycle")).version).toBe("3");
    });

    it("moves versions between stages, archiving the previous holder when asked", async () => {
      const { client } = stores();
      await createModel("staged");
      for (let i = 0; i < 3; i++) await createVersion("staged");
      const transition = (version: string, stage: string, archive = false) =>
        client.ok(
          "POST",
          "/model-versions/transition-stage",
          { name: "staged", version, stage, archive_existing_versions: archive },
          versionReply,
        );
      expect((await transition("1", "production")).model_version.current_stage).toBe("Production");
      await transition("2", "Staging");
      await transition("3", "Production", true);
      const stageOf = async (version: string) =>
        (await client.ok("GET", "/model-versions/get", { name: "staged", version }, versionReply)).model_version.current_stage;
      expect([await stageOf("1"), await stageOf("2"), await stageOf("3")]).toEqual(["Archived", "Staging", "Production"]);
      const latest = await client.ok(
        "POST",
        "/registered-models/get-latest-versions",
        { name: "staged", stages: ["Production", "staging"] },
        versionsReply,
      );
      expect(latest.model_versions?.map((v) => v.version)).toEqual(["3", "2"]);
      const all = await client.ok("GET", "/registered-models/get-latest-versions", { name: "staged" }, versionsReply);
      expect(all.model_versions?.map((v) => `${v.current_stage}:${v.version}`)).toEqual(["Staging:2", "Production:3", "Archived:1"]);
      expect((await client.fail("POST", "/model-versions/transition-stage", { name: "staged", version: "1", stage: "Live" })).message).toBe(
        "Invalid Model Version stage: Live. Value must be one of None, Staging, Production, Archived.",
      );
      expect(
        (
          await client.fail("POST", "/model-versions/transition-stage", {
            name: "staged",
            version: "1",
            stage: "None",
            archive_existing_versions: true,
          })
        ).message,
      ).toMatch(/^Model version transition cannot archive existing model versions because 'None' is not an Active stage/);
    });

    it("resolves aliases, lists them on models and versions, and enforces MLflow's alias rules", async () => {
      const { client } = stores();
      await createModel("aliased");
      await createVersion("aliased");
      await createVersion("aliased");
      await client.ok("POST", "/registered-models/alias", { name: "aliased", alias: "champion", version: "1" }, emptyReply);
      await client.ok("POST", "/registered-models/alias", { name: "aliased", alias: "champion", version: "2" }, emptyReply);
      const byAlias = await client.ok("GET", "/registered-models/alias", { name: "aliased", alias: "champion" }, versionReply);
      expect(byAlias.model_version).toMatchObject({ version: "2", aliases: ["champion"] });
      expect((await client.ok("GET", "/registered-models/get", { name: "aliased" }, modelReply)).registered_model.aliases).toEqual([
        { alias: "champion", version: "2" },
      ]);
      for (const [alias, message] of [
        ["latest", "'latest' alias name (case insensitive) is reserved."],
        ["v3", "Version alias name 'v3' is reserved."],
        ["two words", "Invalid alias name: 'two words'. Names may only contain alphanumerics, underscores (_), and dashes (-)."],
      ]) {
        expect((await client.fail("POST", "/registered-models/alias", { name: "aliased", alias, version: "1" })).message).toBe(message);
      }
      expect((await client.fail("POST", "/registered-models/alias", { name: "aliased", alias: "x", version: "7" })).status).toBe(404);
      await client.ok("DELETE", "/registered-models/alias", { name: "aliased", alias: "champion" }, emptyReply);
      expect(await client.fail("GET", "/registered-models/alias", { name: "aliased", alias: "champion" })).toEqual({
        status: 404,
        error_code: "RESOURCE_DOES_NOT_EXIST",
        message: "Registered model alias champion not found.",
      });
    });

    it("renames a model with its versions, refusing a taken name, and deletes it", async () => {
      const { client } = stores();
      await createModel("before");
      await createModel("taken");
      await createVersion("before");
      const renamed = await client.ok("POST", "/registered-models/rename", { name: "before", new_name: "after" }, modelReply);
      expect(renamed.registered_model.latest_versions?.[0]?.name).toBe("after");
      expect((await client.ok("GET", "/model-versions/get", { name: "after", version: "1" }, versionReply)).model_version.name).toBe(
        "after",
      );
      expect((await client.fail("GET", "/registered-models/get", { name: "before" })).status).toBe(404);
      expect((await client.fail("POST", "/registered-models/rename", { name: "after", new_name: "taken" })).error_code).toBe(
        "RESOURCE_ALREADY_EXISTS",
      );
      await client.ok("DELETE", "/registered-models/delete", { name: "after" }, emptyReply);
      expect((await client.fail("GET", "/model-versions/get", { name: "after", version: "1" })).status).toBe(404);
    });
  });

  describe("search", () => {
    it("searches registered models by name and tag, with order and pages", async () => {
      const { client } = stores();
      for (const name of ["srch-m1", "srch-m2", "srch-m3"])
        await createModel(name, { tags: [{ key: "kind", value: name === "srch-m2" ? "nlp" : "cv" }] });
      await createModel("srch-prompt", { tags: [{ key: IS_PROMPT_TAG, value: "true" }] });
      const names = (r: z.infer<typeof modelsReply>) => (r.registered_models ?? []).map((m) => m.name);
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.ok(
          "GET",
          "/registered-models/search",
          { filter: "name LIKE 'srch-m%'", order_by: "name DESC", max_results: 2, ...(token ? { page_token: token } : {}) },
          modelsReply,
        );
        seen.push(...names(page));
        token = page.next_page_token;
      } while (token);
      expect(seen).toEqual(["srch-m3", "srch-m2", "srch-m1"]);
      expect(names(await client.ok("GET", "/registered-models/search", { filter: "tags.kind = 'nlp'" }, modelsReply))).toEqual(["srch-m2"]);
      const plain = await client.ok(
        "GET",
        "/registered-models/search",
        { filter: "name LIKE 'srch-%' and tags.`mlflow.prompt.is_prompt` != 'true'" },
        modelsReply,
      );
      expect(names(plain)).toEqual(["srch-m1", "srch-m2", "srch-m3"]);
      const prompts = await client.ok(
        "GET",
        "/registered-models/search",
        { filter: "tags.`mlflow.prompt.is_prompt` = 'true' and name LIKE 'srch-%'" },
        modelsReply,
      );
      expect(names(prompts)).toEqual(["srch-prompt"]);
      expect((await client.fail("GET", "/registered-models/search", { max_results: 1001 })).message).toBe(
        "Invalid value 1001 for parameter 'max_results' supplied. It must be at most 1000",
      );
      expect((await client.fail("GET", "/registered-models/search", { filter: "source = 'x'" })).message).toMatch(
        /^Invalid attribute key 'source' specified/,
      );
    });

    it("searches model versions by name, run ids, version number and tags", async () => {
      const { client } = stores();
      await createModel("vsearch");
      for (const run of ["ra", "rb", "rc"]) await createVersion("vsearch", { run_id: run, tags: [{ key: "run", value: run }] });
      const versions = async (filter: string, extra: object = {}) =>
        ((await client.ok("GET", "/model-versions/search", { filter, ...extra }, versionsReply)).model_versions ?? []).map(
          (v) => v.version,
        );
      expect(await versions("name = 'vsearch'", { order_by: "version_number ASC" })).toEqual(["1", "2", "3"]);
      expect(await versions("name = 'vsearch' and run_id IN ('ra', 'rc')", { order_by: "version_number DESC" })).toEqual(["3", "1"]);
      expect(await versions("name = 'vsearch' and version_number > 1", { order_by: "version_number" })).toEqual(["2", "3"]);
      expect(await versions("name = 'vsearch' and tags.run = 'rb'")).toEqual(["2"]);
      const paged = await client.ok(
        "GET",
        "/model-versions/search",
        { filter: "name = 'vsearch'", max_results: 2, order_by: "version_number" },
        versionsReply,
      );
      expect(paged.model_versions?.map((v) => v.version)).toEqual(["1", "2"]);
      const rest = await client.ok(
        "GET",
        "/model-versions/search",
        { filter: "name = 'vsearch'", max_results: 2, order_by: "version_number", page_token: paged.next_page_token },
        versionsReply,
      );
      expect(rest.model_versions?.map((v) => v.version)).toEqual(["3"]);
      expect(rest.next_page_token).toBeUndefined();
    });
  });

  describe("prompts shared with the gateway", () => {
    it("serves a prompt registered through the MLflow API to the gateway by alias", async () => {
      const { client, ctx } = stores();
      await createModel("summarize", { tags: [{ key: IS_PROMPT_TAG, value: "true" }] });
      await createVersion("summarize", { source: "dummy-source", tags: [{ key: PROMPT_TEXT_TAG, value: "Summarize {{ text }}" }] });
      await createVersion("summarize", {
        source: "dummy-source",
        tags: [{ key: PROMPT_TEXT_TAG, value: "Summarize briefly: {{ text }}" }],
      });
      await client.ok("POST", "/registered-models/alias", { name: "summarize", alias: "production", version: "2" }, emptyReply);
      expect(await getPromptVersion(ctx.db, { name: "summarize", alias: "production" })).toMatchObject({
        version: 2,
        template: "Summarize briefly: {{ text }}",
      });
      await client.ok("POST", "/registered-models/alias", { name: "summarize", alias: "production", version: "1" }, emptyReply);
      expect(await getPromptVersion(ctx.db, { name: "summarize", alias: "production" })).toMatchObject({
        version: 1,
        template: "Summarize {{ text }}",
      });
    });

    it("shows a template edited in the gateway's config as a new version of the prompt", async () => {
      const { client, ctx } = stores();
      await ensurePromptVersion(ctx.db, { name: "greet", template: "Hello {{ name }}" });
      await ensurePromptVersion(ctx.db, { name: "greet", template: "Hello {{ name }}" });
      await ensurePromptVersion(ctx.db, { name: "greet", template: "Hi {{ name }}!" });
      const model = await client.ok("GET", "/registered-models/get", { name: "greet" }, modelReply);
      expect(model.registered_model.tags).toEqual([{ key: IS_PROMPT_TAG, value: "true" }]);
      const versions = await client.ok(
        "GET",
        "/model-versions/search",
        { filter: "name = 'greet'", order_by: "version_number" },
        versionsReply,
      );
      expect(versions.model_versions?.map((v) => [v.version, v.tags?.find((t) => t.key === PROMPT_TEXT_TAG)?.value])).toEqual([
        ["1", "Hello {{ name }}"],
        ["2", "Hi {{ name }}!"],
      ]);
    });
  });
});
