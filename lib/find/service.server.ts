import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import type { Db } from "@/db/client.server";
import { findDatasets } from "@/lib/datasets/find.server";
import type { GatewayConfig } from "@/lib/gateway/config";
import { findInferenceById } from "@/lib/inference/lookups.server";
import { findQueues } from "@/lib/labelling/find.server";
import { findRegistered } from "@/lib/registry/find.server";
import { findExperiments, findRuns } from "@/lib/tracking/find.server";
import { findQuery, PER_KIND, type FindReply, type FindResult } from "./schemas";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const seg = encodeURIComponent;

export interface FindContext {
  db: Db;
  clickhouse: ClickHouseClient;
  /** The gateway's config (functions and variants); undefined when it cannot be loaded. */
  config: GatewayConfig | undefined;
}

/** Functions and variants of the config whose name contains the text (case-insensitive). */
function findFunctions(config: GatewayConfig | undefined, text: string): FindResult[] {
  if (!config) return [];
  const t = text.toLowerCase();
  const functions: FindResult[] = [];
  const variants: FindResult[] = [];
  for (const [fn, spec] of Object.entries(config.functions)) {
    if (fn.toLowerCase().includes(t)) functions.push({ kind: "function", label: fn, detail: "", href: `/functions/${seg(fn)}` });
    for (const variant of Object.keys(spec.variants))
      if (variant.toLowerCase().includes(t))
        variants.push({ kind: "variant", label: variant, detail: fn, href: `/functions/${seg(fn)}/variants/${seg(variant)}` });
  }
  return [...functions.slice(0, PER_KIND), ...variants.slice(0, PER_KIND)];
}

/**
 * Everything whose name contains `q`, at most PER_KIND of each kind, best names first; a pasted
 * inference id leads with that inference. Each store is asked through its own domain's lookup.
 */
export async function findEverywhere({ ctx, input }: { ctx: FindContext; input: unknown }): Promise<FindReply> {
  const { q } = findQuery.parse(input);
  const [inference, prompts, models, experiments, runs, datasets, queues] = await Promise.all([
    UUID.test(q) ? findInferenceById(ctx.clickhouse, q.toLowerCase()) : undefined,
    findRegistered(ctx.db, "prompts", q, PER_KIND),
    findRegistered(ctx.db, "models", q, PER_KIND),
    findExperiments(ctx.db, q, PER_KIND),
    findRuns(ctx.db, q, PER_KIND),
    findDatasets(ctx.db, q, PER_KIND),
    findQueues(ctx.db, q, PER_KIND),
  ]);
  const results: FindResult[] = [
    ...(inference
      ? [
          {
            kind: "inference" as const,
            label: q.toLowerCase(),
            detail: `${inference.f} / ${inference.v}`,
            href: `/inferences/${q.toLowerCase()}`,
          },
        ]
      : []),
    ...findFunctions(ctx.config, q),
    ...prompts.map((p) => ({
      kind: "prompt" as const,
      label: p.name,
      detail: p.description ?? "",
      href: `/registry/prompts/${seg(p.name)}`,
    })),
    ...models.map((m) => ({ kind: "model" as const, label: m.name, detail: m.description ?? "", href: `/registry/models/${seg(m.name)}` })),
    ...experiments.map((e) => ({ kind: "experiment" as const, label: e.name, detail: `id ${e.id}`, href: `/experiments/${e.id}` })),
    ...runs.map((r) => ({
      kind: "run" as const,
      label: r.name || r.runId,
      detail: r.experimentName,
      href: `/experiments/${r.experimentId}/runs/${r.runId}`,
    })),
    ...datasets.map((d) => ({ kind: "dataset" as const, label: d.name, detail: "", href: `/datasets/${seg(d.name)}` })),
    ...queues.map((x) => ({ kind: "queue" as const, label: x.name, detail: x.description, href: `/labelling/${seg(x.id)}` })),
  ];
  return { q, results };
}
