import "server-only";
import { z } from "zod";
import { checkAliasMove, GateRefusedError } from "@/lib/evaluations/gated-alias.server";
import * as models from "@/lib/registry/models.server";
import * as versions from "@/lib/registry/versions.server";
import { nonEmpty } from "./entities";
import { int64, repeated, requiredStr, str } from "./fields";
import { MlflowError } from "@/lib/stores/mlflow-errors";
import { endpoint } from "./http.server";
import { toWireModelVersion, toWireRegisteredModel, wireModelVersion, wireRegisteredModel } from "./registry-entities";

/** /mlflow/registered-models/* and /mlflow/model-versions/* (model_registry.proto). */
const empty = z.object({});
const tag = z.object({ key: requiredStr, value: str.optional().default("") });
/** Versions are strings in the proto; some clients send numbers. */
const versionField = z.union([z.string().min(1), z.number().int()]).transform(String);
const modelReply = z.object({ registered_model: wireRegisteredModel });
const versionReply = z.object({ model_version: wireModelVersion });
const bool = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

export const createRegisteredModel = endpoint({
  request: z.object({ name: requiredStr, tags: repeated(tag), description: str.optional() }),
  response: modelReply,
  handle: async ({ ctx, input }) => ({ registered_model: toWireRegisteredModel(await models.createModel({ ctx, input })) }),
});

export const renameRegisteredModel = endpoint({
  request: z.object({ name: requiredStr, new_name: requiredStr }),
  response: modelReply,
  handle: async ({ ctx, input }) => ({
    registered_model: toWireRegisteredModel(await models.renameModel({ ctx, input: { name: input.name, newName: input.new_name } })),
  }),
});

export const updateRegisteredModel = endpoint({
  request: z.object({ name: requiredStr, description: str.optional() }),
  response: modelReply,
  handle: async ({ ctx, input }) => ({ registered_model: toWireRegisteredModel(await models.updateModel({ ctx, input })) }),
});

export const deleteRegisteredModel = endpoint({
  request: z.object({ name: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await models.deleteModel({ ctx, input });
    return {};
  },
});

export const getRegisteredModel = endpoint({
  request: z.object({ name: requiredStr }),
  response: modelReply,
  handle: async ({ ctx, input }) => ({ registered_model: toWireRegisteredModel(await models.getModel({ ctx, input })) }),
});

export const searchRegisteredModels = endpoint({
  request: z.object({ filter: str.optional(), max_results: int64.optional(), order_by: repeated(str), page_token: str.optional() }),
  response: z.object({ registered_models: z.array(wireRegisteredModel).optional(), next_page_token: z.string().optional() }),
  handle: async ({ ctx, input }) => {
    const result = await models.searchModels({
      ctx,
      input: {
        filter: input.filter,
        maxResults: input.max_results ?? models.SEARCH_MODELS_MAX_RESULTS_DEFAULT,
        orderBy: input.order_by,
        pageToken: input.page_token,
      },
    });
    return { registered_models: nonEmpty(result.models.map(toWireRegisteredModel)), next_page_token: result.nextPageToken };
  },
});

export const getLatestVersions = endpoint({
  request: z.object({ name: requiredStr, stages: repeated(str) }),
  response: z.object({ model_versions: z.array(wireModelVersion).optional() }),
  handle: async ({ ctx, input }) => ({
    model_versions: nonEmpty((await models.getLatestVersions({ ctx, input })).map(toWireModelVersion)),
  }),
});

export const createModelVersion = endpoint({
  request: z.object({
    name: requiredStr,
    source: requiredStr,
    run_id: str.optional(),
    tags: repeated(tag),
    run_link: str.optional(),
    description: str.optional(),
    model_id: str.optional(),
  }),
  response: versionReply,
  handle: async ({ ctx, input }) => {
    const created = await versions.createVersion({
      ctx,
      input: {
        name: input.name,
        source: input.source,
        runId: input.run_id,
        runLink: input.run_link,
        description: input.description,
        modelId: input.model_id,
        tags: input.tags,
      },
    });
    return { model_version: toWireModelVersion(created) };
  },
});

const versionRef = { name: requiredStr, version: versionField };

export const updateModelVersion = endpoint({
  request: z.object({ ...versionRef, description: str.optional() }),
  response: versionReply,
  handle: async ({ ctx, input }) => {
    const version = versions.parseVersion(input.version);
    return {
      model_version: toWireModelVersion(
        await versions.updateVersion({ ctx, input: { name: input.name, version, description: input.description } }),
      ),
    };
  },
});

export const transitionModelVersionStage = endpoint({
  request: z.object({ ...versionRef, stage: requiredStr, archive_existing_versions: bool.optional().default(false) }),
  response: versionReply,
  handle: async ({ ctx, input }) => {
    const updated = await versions.transitionStage({
      ctx,
      input: {
        name: input.name,
        version: versions.parseVersion(input.version),
        stage: input.stage,
        archiveExisting: input.archive_existing_versions,
      },
    });
    return { model_version: toWireModelVersion(updated) };
  },
});

export const deleteModelVersion = endpoint({
  request: z.object(versionRef),
  response: empty,
  handle: async ({ ctx, input }) => {
    await versions.deleteVersion({ ctx, input: { name: input.name, version: versions.parseVersion(input.version) } });
    return {};
  },
});

export const getModelVersion = endpoint({
  request: z.object(versionRef),
  response: versionReply,
  handle: async ({ ctx, input }) => ({
    model_version: toWireModelVersion(
      await versions.getVersion({ ctx, input: { name: input.name, version: versions.parseVersion(input.version) } }),
    ),
  }),
});

export const searchModelVersions = endpoint({
  request: z.object({ filter: str.optional(), max_results: int64.optional(), order_by: repeated(str), page_token: str.optional() }),
  response: z.object({ model_versions: z.array(wireModelVersion).optional(), next_page_token: z.string().optional() }),
  handle: async ({ ctx, input }) => {
    const result = await versions.searchVersions({
      ctx,
      input: {
        filter: input.filter,
        maxResults: input.max_results ?? versions.SEARCH_VERSIONS_MAX_RESULTS_DEFAULT,
        orderBy: input.order_by,
        pageToken: input.page_token,
      },
    });
    return { model_versions: nonEmpty(result.versions.map(toWireModelVersion)), next_page_token: result.nextPageToken };
  },
});

export const getModelVersionDownloadUri = endpoint({
  request: z.object(versionRef),
  response: z.object({ artifact_uri: z.string().optional() }),
  handle: async ({ ctx, input }) => {
    const version = await versions.getVersion({ ctx, input: { name: input.name, version: versions.parseVersion(input.version) } });
    return { artifact_uri: (await versions.downloadUri(ctx, version)) ?? undefined };
  },
});

export const setRegisteredModelTag = endpoint({
  request: z.object({ name: requiredStr, key: requiredStr, value: str.optional().default("") }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await models.setModelTag({ ctx, input: { name: input.name, tag: { key: input.key, value: input.value } } });
    return {};
  },
});

export const deleteRegisteredModelTag = endpoint({
  request: z.object({ name: requiredStr, key: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await models.deleteModelTag({ ctx, input });
    return {};
  },
});

export const setModelVersionTag = endpoint({
  request: z.object({ ...versionRef, key: requiredStr, value: str.optional().default("") }),
  response: empty,
  handle: async ({ ctx, input }) => {
    const version = versions.parseVersion(input.version);
    await versions.setVersionTag({ ctx, input: { name: input.name, version, tag: { key: input.key, value: input.value } } });
    return {};
  },
});

export const deleteModelVersionTag = endpoint({
  request: z.object({ ...versionRef, key: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await versions.deleteVersionTag({ ctx, input: { name: input.name, version: versions.parseVersion(input.version), key: input.key } });
    return {};
  },
});

export const setRegisteredModelAlias = endpoint({
  request: z.object({ name: requiredStr, alias: requiredStr, version: versionField }),
  response: empty,
  handle: async ({ ctx, input }) => {
    const version = versions.parseVersion(input.version);
    await models.validateAliasMove({ ctx, input: { name: input.name, alias: input.alias, version } });
    // The promotion gate (issue 15): a refusal is PERMISSION_DENIED naming the failed condition.
    await checkAliasMove(ctx.db, { name: input.name, alias: input.alias, version, surface: "mlflow" }).catch((error: unknown) => {
      throw error instanceof GateRefusedError ? new MlflowError("PERMISSION_DENIED", error.message) : error;
    });
    await models.setModelAlias({ ctx, input: { name: input.name, alias: input.alias, version } });
    return {};
  },
});

export const deleteRegisteredModelAlias = endpoint({
  request: z.object({ name: requiredStr, alias: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await models.deleteModelAlias({ ctx, input });
    return {};
  },
});

export const getModelVersionByAlias = endpoint({
  request: z.object({ name: requiredStr, alias: requiredStr }),
  response: versionReply,
  handle: async ({ ctx, input }) => ({ model_version: toWireModelVersion(await models.getVersionByAlias({ ctx, input })) }),
});
