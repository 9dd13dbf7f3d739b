import "server-only";
import { z } from "zod";
import {
  SEARCH_MAX_RESULTS_DEFAULT,
  createExperiment as create,
  deleteExperiment as remove,
  deleteExperimentTag as removeTag,
  getExperiment as get,
  getExperimentByName as getByName,
  renameExperiment,
  restoreExperiment as restore,
  searchExperiments as search,
  setExperimentTag as setTag,
} from "@/lib/tracking/experiments.server";
import { VIEW_TYPES, VIEW_TYPE_NUMBERS } from "@/lib/tracking/types";
import { toWireExperiment, wireExperiment } from "./entities";
import { int64, protoEnum, repeated, requiredStr, str } from "./fields";
import { endpoint } from "./http.server";

/** /mlflow/experiments/* (service.proto): thin adapters from request messages to lib/tracking. */
const empty = z.object({});
const tag = z.object({ key: requiredStr, value: str.optional().default("") });
export const viewType = protoEnum(VIEW_TYPES, VIEW_TYPE_NUMBERS);

export const createExperiment = endpoint({
  request: z.object({ name: requiredStr, artifact_location: str.optional(), tags: repeated(tag) }),
  response: z.object({ experiment_id: z.string() }),
  handle: async ({ ctx, input }) => ({
    experiment_id: await create({ ctx, input: { name: input.name, artifactLocation: input.artifact_location, tags: input.tags } }),
  }),
});

export const getExperiment = endpoint({
  request: z.object({ experiment_id: requiredStr }),
  response: z.object({ experiment: wireExperiment }),
  handle: async ({ ctx, input }) => ({ experiment: toWireExperiment(await get({ ctx, input: { experimentId: input.experiment_id } })) }),
});

export const getExperimentByName = endpoint({
  request: z.object({ experiment_name: requiredStr }),
  response: z.object({ experiment: wireExperiment }),
  handle: async ({ ctx, input }) => ({ experiment: toWireExperiment(await getByName({ ctx, input: { name: input.experiment_name } })) }),
});

export const searchExperiments = endpoint({
  request: z.object({
    max_results: int64.optional(),
    page_token: str.optional(),
    filter: str.optional(),
    order_by: repeated(str),
    view_type: viewType.optional(),
  }),
  response: z.object({ experiments: z.array(wireExperiment).optional(), next_page_token: z.string().optional() }),
  handle: async ({ ctx, input }) => {
    const result = await search({
      ctx,
      input: {
        viewType: input.view_type ?? "ACTIVE_ONLY",
        maxResults: input.max_results ?? SEARCH_MAX_RESULTS_DEFAULT,
        filter: input.filter,
        orderBy: input.order_by,
        pageToken: input.page_token,
      },
    });
    return {
      experiments: result.experiments.length ? result.experiments.map(toWireExperiment) : undefined,
      next_page_token: result.nextPageToken,
    };
  },
});

export const updateExperiment = endpoint({
  request: z.object({ experiment_id: requiredStr, new_name: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await renameExperiment({ ctx, input: { experimentId: input.experiment_id, newName: input.new_name } });
    return {};
  },
});

export const deleteExperiment = endpoint({
  request: z.object({ experiment_id: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await remove({ ctx, input: { experimentId: input.experiment_id } });
    return {};
  },
});

export const restoreExperiment = endpoint({
  request: z.object({ experiment_id: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await restore({ ctx, input: { experimentId: input.experiment_id } });
    return {};
  },
});

export const setExperimentTag = endpoint({
  request: z.object({ experiment_id: requiredStr, key: requiredStr, value: str.optional().default("") }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await setTag({ ctx, input: { experimentId: input.experiment_id, tag: { key: input.key, value: input.value } } });
    return {};
  },
});

export const deleteExperimentTag = endpoint({
  request: z.object({ experiment_id: requiredStr, key: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await removeTag({ ctx, input: { experimentId: input.experiment_id, key: input.key } });
    return {};
  },
});
