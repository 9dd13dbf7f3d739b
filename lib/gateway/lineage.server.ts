import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { DIRECT_MODEL_FUNCTION, EMBEDDING_FUNCTION } from "@/lib/inference/tables";
import {
  promptVersionsOfVariants,
  recentInferencesOfVariants,
  servingVariants,
  variantsUsingPromptVersions,
} from "@/lib/inference/lookups.server";
import { isUuid } from "@/lib/inference/store.server";
import type { Edge } from "@/lib/lineage/edges.server";
import type { KindHandler, NodeDescription } from "@/lib/lineage/types";
import { variantNodeId } from "@/lib/lineage/nodes";
import { RELATIONS } from "@/lib/lineage/relations";
import type { GatewayConfig } from "./config";
import { loadConfigFile } from "./runtime.server";

/**
 * The gateway's lineage: function → variant (config), variant → prompt_version (the versions its
 * inferences used, from ClickHouse, so history shows), inference → variant (ClickHouse, a few
 * recent ones per variant). Nothing is copied into lineage_edges: these are derived while walking.
 */
const RECENT_INFERENCES = 20;

async function config(): Promise<GatewayConfig> {
  return loadConfigFile();
}

function splitVariant(id: string): { fn: string; variant: string } | undefined {
  // Function names cannot contain "/"; "llmops::model/<model>" is a direct-model variant.
  const slash = id.indexOf("/");
  return slash > 0 ? { fn: id.slice(0, slash), variant: id.slice(slash + 1) } : undefined;
}

const enc = encodeURIComponent;

export const functionHandler: KindHandler = {
  async describe(_ctx, ids) {
    const { functions } = await config();
    const out = new Map<string, NodeDescription>();
    for (const id of ids) {
      if (functions[id]) out.set(id, { label: id, href: `/functions/${enc(id)}` });
      else if (id === DIRECT_MODEL_FUNCTION) out.set(id, { label: "direct model calls", href: `/functions/${enc(id)}` });
      else if (id === EMBEDDING_FUNCTION) out.set(id, { label: "embedding calls", href: `/functions/${enc(id)}` });
    }
    return out;
  },
  async expand(_ctx, ids, limit) {
    const { functions } = await config();
    return ids
      .flatMap((fn) =>
        Object.keys(functions[fn]?.variants ?? {}).map((v): Edge => ({
          src: { kind: "function", id: fn },
          relation: RELATIONS.hasVariant,
          dst: { kind: "variant", id: variantNodeId(fn, v) },
        })),
      )
      .slice(0, limit);
  },
};

export const variantHandler: KindHandler = {
  async describe(_ctx, ids) {
    const cfg = await config();
    const out = new Map<string, NodeDescription>();
    for (const id of ids) {
      const parts = splitVariant(id);
      if (!parts) continue;
      const known =
        parts.fn === DIRECT_MODEL_FUNCTION || parts.fn === EMBEDDING_FUNCTION
          ? Boolean(cfg.models[parts.variant])
          : Boolean(cfg.functions[parts.fn]?.variants[parts.variant]);
      if (known)
        out.set(id, { label: `${parts.fn} / ${parts.variant}`, href: `/functions/${enc(parts.fn)}/variants/${enc(parts.variant)}` });
    }
    return out;
  },
  async expand(ctx, ids, limit) {
    const pairs = ids.flatMap((id) => splitVariant(id) ?? []);
    if (pairs.length === 0) return [];
    const edges: Edge[] = pairs.map((p) => ({
      src: { kind: "function", id: p.fn },
      relation: RELATIONS.hasVariant,
      dst: { kind: "variant", id: variantNodeId(p.fn, p.variant) },
    }));
    const fns = pairs.map((p) => p.fn);
    const variants = pairs.map((p) => p.variant);
    const prompts = await promptVersionsOfVariants(ctx.clickhouse, fns, variants, limit);
    const wanted = new Set(ids);
    for (const r of prompts) {
      const id = variantNodeId(r.f, r.v);
      if (wanted.has(id))
        edges.push({ src: { kind: "variant", id }, relation: RELATIONS.usesPrompt, dst: { kind: "prompt_version", id: r.p } });
    }
    const recent = await recentInferencesOfVariants(ctx.clickhouse, fns, variants, RECENT_INFERENCES, limit);
    for (const r of recent) {
      const id = variantNodeId(r.f, r.v);
      if (wanted.has(id)) edges.push({ src: { kind: "inference", id: r.iid }, relation: RELATIONS.servedBy, dst: { kind: "variant", id } });
    }
    return edges.slice(0, limit);
  },
};

export const inferenceHandler: KindHandler = {
  async describe(ctx, ids) {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return new Map();
    const rows = await servingVariants(ctx.clickhouse, valid);
    return new Map(rows.map((r) => [r.iid, { label: `${r.f} / ${r.v} · ${r.iid.slice(-8)}`, href: `/inferences/${r.iid}` }]));
  },
  async expand(ctx, ids, limit) {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    const rows = await servingVariants(ctx.clickhouse, valid, limit);
    return rows.map((r) => ({
      src: { kind: "inference", id: r.iid },
      relation: RELATIONS.servedBy,
      dst: { kind: "variant", id: variantNodeId(r.f, r.v) },
    }));
  },
};

/** prompt_version → the variants whose inferences used it. */
export async function promptVersionUsers(client: ClickHouseClient, ids: string[], limit: number): Promise<Edge[]> {
  if (ids.length === 0) return [];
  const rows = await variantsUsingPromptVersions(client, ids, limit);
  return rows.map((r) => ({
    src: { kind: "variant", id: variantNodeId(r.f, r.v) },
    relation: RELATIONS.usesPrompt,
    dst: { kind: "prompt_version", id: r.p },
  }));
}
