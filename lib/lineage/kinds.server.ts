import "server-only";
import { and, eq, inArray, or } from "drizzle-orm";
import { datasets, experiments, modelVersions, runs } from "@/db/schema";
import { functionHandler, inferenceHandler, promptVersionUsers, variantHandler } from "@/lib/gateway/lineage.server";
import { datasetExpand, inferenceLabelEdges, labelHandler, queueHandler } from "@/lib/labelling/lineage.server";
import { loggedModelHandler } from "@/lib/logged-models/lineage.server";
import type { TrackingContext } from "@/lib/tracking/context";
import type { Edge } from "./edges.server";
import type { NodeKind } from "./nodes";
import { RELATIONS } from "./relations";

/**
 * The extension point of the lineage graph, one entry per node kind. `describe` gives labels and
 * dashboard links; `expand` adds edges that are not stored in lineage_edges because they are
 * derived (a run's experiment) or too many to copy (inference → variant, from ClickHouse rows).
 * Kinds without an entry still appear, labelled by their id. To plug in a kind, add an entry.
 */
export interface NodeDescription {
  label: string;
  href?: string;
}

export interface KindHandler {
  describe?(ctx: TrackingContext, ids: string[]): Promise<Map<string, NodeDescription>>;
  /** Edges touching the given nodes of this kind; at most `limit` of them. */
  expand?(ctx: TrackingContext, ids: string[], limit: number): Promise<Edge[]>;
}

function splitVersionId(id: string): { name: string; version: number } | undefined {
  const slash = id.lastIndexOf("/");
  const version = Number(id.slice(slash + 1));
  return slash > 0 && Number.isInteger(version) ? { name: id.slice(0, slash), version } : undefined;
}

function versionHandler(section: "models" | "prompts"): KindHandler {
  return {
    async describe(ctx, ids) {
      const refs = ids.flatMap((id) => splitVersionId(id) ?? []);
      if (refs.length === 0) return new Map();
      const rows = await ctx.db
        .select({ name: modelVersions.name, version: modelVersions.version })
        .from(modelVersions)
        .where(or(...refs.map((r) => and(eq(modelVersions.name, r.name), eq(modelVersions.version, r.version)))));
      return new Map(
        rows.map((r) => [
          `${r.name}/${r.version}`,
          { label: `${r.name} v${r.version}`, href: `/registry/${section}/${encodeURIComponent(r.name)}/versions/${r.version}` },
        ]),
      );
    },
  };
}

export const KIND_HANDLERS: Partial<Record<NodeKind, KindHandler>> = {
  run: {
    async describe(ctx, ids) {
      const rows = await ctx.db
        .select({ id: runs.runId, name: runs.name, experimentId: runs.experimentId })
        .from(runs)
        .where(inArray(runs.runId, ids));
      return new Map(rows.map((r) => [r.id, { label: r.name || r.id, href: `/experiments/${r.experimentId}/runs/${r.id}` }]));
    },
    async expand(ctx, ids, limit) {
      const rows = await ctx.db
        .select({ id: runs.runId, experimentId: runs.experimentId })
        .from(runs)
        .where(inArray(runs.runId, ids))
        .limit(limit);
      return rows.map((r) => ({
        src: { kind: "run", id: r.id },
        relation: RELATIONS.inExperiment,
        dst: { kind: "experiment", id: String(r.experimentId) },
      }));
    },
  },
  experiment: {
    async describe(ctx, ids) {
      const numeric = ids.filter((id) => /^\d{1,18}$/.test(id)).map(Number);
      if (numeric.length === 0) return new Map();
      const rows = await ctx.db
        .select({ id: experiments.experimentId, name: experiments.name })
        .from(experiments)
        .where(inArray(experiments.experimentId, numeric));
      return new Map(rows.map((r) => [String(r.id), { label: r.name, href: `/experiments/${r.id}` }]));
    },
    async expand(ctx, ids, limit) {
      const numeric = ids.filter((id) => /^\d{1,18}$/.test(id)).map(Number);
      if (numeric.length === 0) return [];
      const rows = await ctx.db
        .select({ id: runs.runId, experimentId: runs.experimentId })
        .from(runs)
        .where(inArray(runs.experimentId, numeric))
        .limit(limit);
      return rows.map((r) => ({
        src: { kind: "run", id: r.id },
        relation: RELATIONS.inExperiment,
        dst: { kind: "experiment", id: String(r.experimentId) },
      }));
    },
  },
  dataset: {
    async describe(ctx, ids) {
      const rows = await ctx.db
        .select({ id: datasets.datasetUuid, name: datasets.name, digest: datasets.digest, experimentId: datasets.experimentId })
        .from(datasets)
        .where(inArray(datasets.datasetUuid, ids));
      return new Map(
        rows.map((r) => [r.id, { label: `${r.name} (${r.digest})`, href: `/experiments/${r.experimentId}/datasets/${r.id}` }]),
      );
    },
    // Datasets saved from labelling queues lead back to their queue and labels (lib/labelling/lineage.server.ts).
    expand: datasetExpand,
  },
  queue: queueHandler,
  label: labelHandler,
  model_version: versionHandler("models"),
  logged_model: loggedModelHandler,
  prompt_version: { ...versionHandler("prompts"), expand: (ctx, ids, limit) => promptVersionUsers(ctx.clickhouse, ids, limit) },
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
