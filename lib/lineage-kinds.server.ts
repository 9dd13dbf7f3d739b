import "server-only";
import { functionHandler, inferenceHandler, promptVersionUsers, variantHandler } from "@/lib/gateway/lineage.server";
import { datasetExpand, inferenceLabelEdges, labelHandler, queueHandler } from "@/lib/labelling/lineage.server";
import { CORE_KIND_HANDLERS } from "@/lib/lineage/kinds.server";
import type { NodeKind } from "@/lib/lineage/nodes";
import type { KindHandler } from "@/lib/lineage/types";
import { loggedModelHandler } from "@/lib/logged-models/lineage.server";

/**
 * Every node kind's lineage handler, composed here at the top: lib/lineage knows only its own
 * kinds and the handler interface (lib/lineage/types.ts), and each domain's handlers import that
 * interface alone, so the graph, the gateway and labelling never import each other. To plug in a
 * kind, add its handler here.
 */
export const LINEAGE_KINDS: Partial<Record<NodeKind, KindHandler>> = {
  ...CORE_KIND_HANDLERS,
  // Datasets saved from labelling queues lead back to their queue and labels.
  dataset: { ...CORE_KIND_HANDLERS.dataset, expand: datasetExpand },
  queue: queueHandler,
  label: labelHandler,
  logged_model: loggedModelHandler,
  prompt_version: { ...CORE_KIND_HANDLERS.prompt_version, expand: (ctx, ids, limit) => promptVersionUsers(ctx.clickhouse, ids, limit) },
  function: functionHandler,
  variant: variantHandler,
  inference: {
    ...inferenceHandler,
    expand: async (ctx, ids, limit) => [
      ...(await inferenceHandler.expand!(ctx, ids, limit)),
      ...(await inferenceLabelEdges(ctx, ids, limit)),
    ],
  },
};
