import { expect, it } from "vitest";
import { z } from "zod";
import { emptyReply } from "@/db/test/mlflow";
import { describeTracking } from "@/db/test/tracking";
import { IS_PROMPT_TAG, PROMPT_TEXT_TAG, parsePromptRef } from "@/lib/registry/prompts";
import { getPromptVersion } from "@/lib/registry/repo.server";
import { wireModelVersion } from "./registry-entities";

const versionReply = z.object({ model_version: wireModelVersion });

describeTracking("alias latest", (stores) => {
  it("resolves to the newest version of a model on get-by-alias, and follows deletes", async () => {
    const { client } = stores();
    await client.ok("POST", "/registered-models/create", { name: "clf-latest" }, z.unknown());
    for (let i = 0; i < 3; i++)
      await client.ok("POST", "/model-versions/create", { name: "clf-latest", source: `s3://m/${i}` }, versionReply);
    const newest = await client.ok("GET", "/registered-models/alias", { name: "clf-latest", alias: "latest" }, versionReply);
    expect(newest.model_version).toMatchObject({ version: "3", source: "s3://m/2" });
    expect(
      (await client.ok("GET", "/registered-models/alias", { name: "clf-latest", alias: "LATEST" }, versionReply)).model_version.version,
    ).toBe("3");
    await client.ok("DELETE", "/model-versions/delete", { name: "clf-latest", version: "3" }, emptyReply);
    expect(
      (await client.ok("GET", "/registered-models/alias", { name: "clf-latest", alias: "latest" }, versionReply)).model_version.version,
    ).toBe("2");
  });

  it("stays reserved for setting, with MLflow's message, and is missing on a model without versions", async () => {
    const { client } = stores();
    await client.ok("POST", "/registered-models/create", { name: "empty-latest" }, z.unknown());
    expect(await client.fail("GET", "/registered-models/alias", { name: "empty-latest", alias: "latest" })).toEqual({
      status: 404,
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "Registered model alias latest not found.",
    });
    await client.ok("POST", "/model-versions/create", { name: "empty-latest", source: "s3://m" }, versionReply);
    expect(await client.fail("POST", "/registered-models/alias", { name: "empty-latest", alias: "Latest", version: "1" })).toEqual({
      status: 400,
      error_code: "INVALID_PARAMETER_VALUE",
      message: "'latest' alias name (case insensitive) is reserved.",
    });
  });

  it("loads the newest prompt version for prompts:/name, prompts:/name@latest and get-by-alias", async () => {
    const { client, ctx } = stores();
    const tags = [{ key: IS_PROMPT_TAG, value: "true" }];
    await client.ok("POST", "/registered-models/create", { name: "greet", tags }, z.unknown());
    for (const text of ["Hi {{name}}", "Hello {{name}}"]) {
      await client.ok(
        "POST",
        "/model-versions/create",
        { name: "greet", source: "prompt-template", tags: [...tags, { key: PROMPT_TEXT_TAG, value: text }] },
        versionReply,
      );
    }
    expect((await getPromptVersion(ctx.db, parsePromptRef("prompts:/greet")))?.template).toBe("Hello {{name}}");
    expect((await getPromptVersion(ctx.db, parsePromptRef("prompts:/greet@latest")))?.version).toBe(2);
    expect(await getPromptVersion(ctx.db, parsePromptRef("prompts:/nothing-here"))).toBeUndefined();
    const viaApi = await client.ok("GET", "/registered-models/alias", { name: "greet", alias: "latest" }, versionReply);
    expect(viaApi.model_version.tags).toContainEqual({ key: PROMPT_TEXT_TAG, value: "Hello {{name}}" });
  });
});
