import "server-only";
import { z } from "zod";
import { getArtifactStore } from "@/lib/artifacts/index.server";
import { artifactPath, joinPath } from "@/lib/artifacts/paths";
import { requireProxiedRoot } from "@/lib/artifacts/uri";
import { logOutputs as writeOutputs } from "@/lib/logged-models/links.server";
import * as models from "@/lib/logged-models/models.server";
import { SEARCH_LOGGED_MODELS_DEFAULT, searchLoggedModels as search } from "@/lib/logged-models/search.server";
import { LOGGED_MODEL_STATUSES, LOGGED_MODEL_STATUS_NUMBERS } from "@/lib/logged-models/types";
import type { TrackingContext } from "@/lib/tracking/context";
import { getRun, setRunTag } from "@/lib/tracking/runs.server";
import { toWireFileInfo } from "./artifact-endpoints.server";
import { nonEmpty } from "./entities";
import { invalidParameter } from "@/lib/stores/mlflow-errors";
import { int64, protoEnum, repeated, requiredStr, str } from "./fields";
import { endpoint } from "./http.server";
import { toWireLoggedModel, wireLoggedModel } from "./logged-model-entities";

/**
 * MLflow 3 logged models (service.proto: /mlflow/logged-models…, /mlflow/runs/outputs) and the
 * run artifact listing (/mlflow/artifacts/list): adapters from request messages to
 * lib/logged-models and the artifact store. `{model_id}` path values arrive merged into the message.
 */
const empty = z.object({});
const keyValue = z.object({ key: requiredStr, value: str.optional().default("") });
const modelReply = z.object({ model: wireLoggedModel });
const wireFileInfo = z.object({ path: z.string(), is_dir: z.boolean(), file_size: z.number().int().optional() });
const listReply = z.object({ root_uri: z.string(), files: z.array(wireFileInfo).optional(), next_page_token: z.string().optional() });
const flag = z
  .union([z.boolean(), z.enum(["true", "false", "True", "False"])])
  .transform((v) => v === true || v === "true" || v === "True");

const storeOf = (ctx: TrackingContext) => ctx.artifacts ?? getArtifactStore();

/** Lists a folder under an entity's artifact root, with paths relative to that root, as MLflow does. */
async function listUnder(ctx: TrackingContext, rootUri: string, owner: string, rawPath: string | undefined) {
  const root = requireProxiedRoot(rootUri, owner);
  const relative = artifactPath(rawPath ?? "");
  const files = await storeOf(ctx).list(joinPath(root, relative));
  return { root_uri: rootUri, files: nonEmpty(files.map((f) => toWireFileInfo(f, joinPath(relative, f.path)))) };
}

export const createLoggedModel = endpoint({
  request: z.object({
    experiment_id: requiredStr,
    name: str.optional(),
    model_type: str.optional(),
    source_run_id: str.optional(),
    params: repeated(keyValue),
    tags: repeated(keyValue),
  }),
  response: modelReply,
  handle: async ({ ctx, input }) => {
    const model = await models.createLoggedModel({
      ctx,
      input: {
        experimentId: input.experiment_id,
        name: input.name,
        modelType: input.model_type,
        sourceRunId: input.source_run_id,
        params: input.params,
        tags: input.tags,
      },
    });
    return { model: toWireLoggedModel(model) };
  },
});

export const getLoggedModel = endpoint({
  request: z.object({ model_id: requiredStr, allow_deleted: flag.optional() }),
  response: modelReply,
  handle: async ({ ctx, input }) => ({
    model: toWireLoggedModel(await models.getLoggedModel({ ctx, input: { modelId: input.model_id, allowDeleted: input.allow_deleted } })),
  }),
});

export const finalizeLoggedModel = endpoint({
  request: z.object({ model_id: requiredStr, status: protoEnum(LOGGED_MODEL_STATUSES, LOGGED_MODEL_STATUS_NUMBERS) }),
  response: modelReply,
  handle: async ({ ctx, input }) => ({
    model: toWireLoggedModel(await models.finalizeLoggedModel({ ctx, input: { modelId: input.model_id, status: input.status } })),
  }),
});

export const deleteLoggedModel = endpoint({
  request: z.object({ model_id: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await models.deleteLoggedModel({ ctx, input: { modelId: input.model_id } });
    return {};
  },
});

export const setLoggedModelTags = endpoint({
  request: z.object({ model_id: requiredStr, tags: repeated(keyValue) }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await models.setLoggedModelTags(ctx.db, input.model_id, input.tags);
    return {};
  },
});

export const deleteLoggedModelTag = endpoint({
  request: z.object({ model_id: requiredStr, tag_key: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await models.deleteLoggedModelTag({ ctx, input: { modelId: input.model_id, key: input.tag_key } });
    return {};
  },
});

export const logLoggedModelParams = endpoint({
  request: z.object({ model_id: requiredStr, params: repeated(keyValue) }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await models.logLoggedModelParams({ ctx, input: { modelId: input.model_id, params: input.params } });
    return {};
  },
});

const orderBy = z.object({
  field_name: requiredStr,
  ascending: z.boolean().optional().default(true),
  dataset_name: str.optional(),
  dataset_digest: str.optional(),
});

export const searchLoggedModels = endpoint({
  request: z.object({
    experiment_ids: repeated(z.union([z.string(), z.number().int()]).transform(String)),
    filter: str.optional(),
    datasets: repeated(z.object({ dataset_name: str.optional().default(""), dataset_digest: str.optional() })),
    max_results: int64.optional(),
    order_by: repeated(orderBy),
    page_token: str.optional(),
  }),
  response: z.object({ models: z.array(wireLoggedModel).optional(), next_page_token: z.string().optional() }),
  handle: async ({ ctx, input }) => {
    const result = await search({
      ctx,
      input: {
        experimentIds: input.experiment_ids,
        filter: input.filter,
        datasets: input.datasets.map((d) => ({ name: d.dataset_name, digest: d.dataset_digest || undefined })),
        maxResults: input.max_results ?? SEARCH_LOGGED_MODELS_DEFAULT,
        orderBy: input.order_by.map((o) => ({
          fieldName: o.field_name,
          ascending: o.ascending,
          datasetName: o.dataset_name || undefined,
          datasetDigest: o.dataset_digest || undefined,
        })),
        pageToken: input.page_token,
      },
    });
    return { models: nonEmpty(result.models.map(toWireLoggedModel)), next_page_token: result.nextPageToken };
  },
});

export const listLoggedModelArtifacts = endpoint({
  request: z.object({ model_id: requiredStr, artifact_directory_path: str.optional(), page_token: str.optional() }),
  response: listReply,
  handle: async ({ ctx, input }) => {
    const model = await models.getLoggedModel({ ctx, input: { modelId: input.model_id } });
    return listUnder(ctx, model.artifactLocation, `logged model ${model.modelId}`, input.artifact_directory_path);
  },
});

export const logOutputs = endpoint({
  request: z.object({ run_id: requiredStr, models: repeated(z.object({ model_id: requiredStr, step: int64.optional().default(0) })) }),
  response: empty,
  handle: async ({ ctx, input }) => {
    if (input.models.length === 0)
      throw invalidParameter(
        "Missing value for required parameter 'models'. See the API docs for more information about request parameters.",
      );
    await writeOutputs({ ctx, input: { runId: input.run_id, models: input.models.map((m) => ({ modelId: m.model_id, step: m.step })) } });
    return {};
  },
});

export const listArtifacts = endpoint({
  request: z.object({ run_id: str.optional(), run_uuid: str.optional(), path: str.optional(), page_token: str.optional() }),
  response: listReply,
  handle: async ({ ctx, input }) => {
    const runId = input.run_id || input.run_uuid;
    if (!runId)
      throw invalidParameter(
        "Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.",
      );
    const run = await getRun({ ctx, input: { runId } });
    return listUnder(ctx, run.info.artifactUri, `run ${runId}`, input.path);
  },
});

const LOGGED_MODELS_HISTORY_TAG = "mlflow.log-model.history";
const MODEL_JSON_FIELDS = ["artifact_path", "flavors", "utc_time_created", "run_id"];

/** runs/log-model (MLflow 2 clients, still sent by MLflow 3's Model.log): appends the MLmodel to the run's history tag. */
export const logModel = endpoint({
  request: z.object({ run_id: requiredStr, model_json: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    let model: unknown;
    try {
      model = JSON.parse(input.model_json);
    } catch {
      throw invalidParameter(`Malformed model info. \n ${input.model_json} \n is not a valid JSON.`);
    }
    const fields = model !== null && typeof model === "object" && !Array.isArray(model) ? Object.keys(model) : [];
    const missing = MODEL_JSON_FIELDS.filter((f) => !fields.includes(f));
    if (missing.length) throw invalidParameter(`Model json is missing mandatory fields: {${missing.map((f) => `'${f}'`).join(", ")}}`);
    const run = await getRun({ ctx, input: { runId: input.run_id } });
    const previous = run.data.tags.find((t) => t.key === LOGGED_MODELS_HISTORY_TAG)?.value;
    let history: unknown[] = [];
    try {
      const parsed: unknown = previous ? JSON.parse(previous) : [];
      if (Array.isArray(parsed)) history = parsed;
    } catch {
      history = [];
    }
    await setRunTag({
      ctx,
      input: { runId: input.run_id, tag: { key: LOGGED_MODELS_HISTORY_TAG, value: JSON.stringify([...history, model]) } },
    });
    return {};
  },
});
