import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresBackends, type TestPostgres } from "@/db/test/postgres";
import { PROMPT_TEXT_TAG } from "./prompts";
import { createModelVersion, ensurePromptVersion, ensureRegisteredModel, getPromptVersion, setAlias } from "./repo.server";

describe.each(postgresBackends)("registry storage on $name", (backend) => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await backend.open();
  });
  afterAll(async () => pg?.cleanup());

  it("gives 20 concurrent creators distinct consecutive version numbers", async () => {
    await ensureRegisteredModel(pg.store.db, "classifier");
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => createModelVersion(pg.store.db, { name: "classifier", source: `s3://m/${i}` })),
    );
    expect(created.map((v) => v?.version).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("returns undefined for a version of an unknown model", async () => {
    expect(await createModelVersion(pg.store.db, { name: "nope" })).toBeUndefined();
  });

  it("registers a prompt template once per distinct text, even when asked concurrently", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => ensurePromptVersion(pg.store.db, { name: "greet", template: "Hello {{ name }}" })),
    );
    expect(new Set(results.map((r) => r.version))).toEqual(new Set([1]));
    expect(results.filter((r) => r.created)).toHaveLength(1);

    const edited = await ensurePromptVersion(pg.store.db, { name: "greet", template: "Hi {{ name }}!" });
    expect(edited).toMatchObject({ version: 2, created: true });
    const reverted = await ensurePromptVersion(pg.store.db, { name: "greet", template: "Hello {{ name }}" });
    expect(reverted).toMatchObject({ version: 1, created: false });
  });

  it("resolves prompt versions by number and by alias", async () => {
    await setAlias(pg.store.db, "greet", "production", 2);
    expect(await getPromptVersion(pg.store.db, { name: "greet", alias: "production" })).toMatchObject({
      version: 2,
      template: "Hi {{ name }}!",
      tags: { [PROMPT_TEXT_TAG]: "Hi {{ name }}!" },
    });
    expect(await getPromptVersion(pg.store.db, { name: "greet", version: 1 })).toMatchObject({ template: "Hello {{ name }}" });
    expect(await getPromptVersion(pg.store.db, { name: "greet", alias: "staging" })).toBeUndefined();
    expect(await getPromptVersion(pg.store.db, { name: "greet", version: 9 })).toBeUndefined();
  });
});
