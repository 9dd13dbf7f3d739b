import "server-only";
import { and, eq, inArray, or } from "drizzle-orm";
import { datasets, experiments, modelVersions, runs } from "@/db/schema";
import type { NodeKind } from "./nodes";
import { RELATIONS } from "./relations";
import type { KindHandler } from "./types";

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

/**
 * The kinds this folder describes itself (tracking and registry rows). The other domains' kinds
 * (functions, variants, inferences, queues, labels, logged models) are added at the top, in
 * lib/lineage-kinds.server.ts, so no domain's handler imports this module back.
 */
export const CORE_KIND_HANDLERS: Partial<Record<NodeKind, KindHandler>> = {
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
  },
  model_version: versionHandler("models"),
  prompt_version: versionHandler("prompts"),
};
