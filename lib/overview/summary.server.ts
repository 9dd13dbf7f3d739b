import "server-only";
import { and, count, eq, sql } from "drizzle-orm";
import { experiments, labelQueues, labels, lineageEdges, registeredModelTags, registeredModels, runs } from "@/db/schema";
import { IS_PROMPT_TAG } from "@/lib/registry/prompts";
import type { TrackingContext } from "@/lib/tracking/context";

/** What the overview shows under each area: a few counts, each read cheaply (indexes, rollups). */
export interface OverviewSummary {
  experiments?: { experiments: number; runs: number };
  registry?: { models: number; prompts: number };
  gateway?: { functions: number; inferences24h: number; errors24h: number };
  labelling?: { queues: number; labels: number };
  lineage?: { edges: number };
}

const num = (value: unknown) => Number(value ?? 0);

/** Each part is read on its own: a store that fails leaves its part out (the health card explains). */
export async function overviewSummary({ db, clickhouse }: TrackingContext): Promise<OverviewSummary> {
  const part = <T>(read: () => Promise<T>) => read().catch(() => undefined);
  const [exp, registry, gateway, labelling, lineage] = await Promise.all([
    part(async () => {
      const [e] = await db.select({ n: count() }).from(experiments).where(eq(experiments.lifecycleStage, "active"));
      const [r] = await db.select({ n: count() }).from(runs).where(eq(runs.lifecycleStage, "active"));
      return { experiments: num(e?.n), runs: num(r?.n) };
    }),
    part(async () => {
      const [all] = await db.select({ n: count() }).from(registeredModels);
      const [prompts] = await db
        .select({ n: count() })
        .from(registeredModelTags)
        .where(and(eq(registeredModelTags.key, IS_PROMPT_TAG), sql`lower(${registeredModelTags.value}) = 'true'`));
      return { models: num(all?.n) - num(prompts?.n), prompts: num(prompts?.n) };
    }),
    part(async () => {
      const result = await clickhouse.query({
        query: `SELECT uniqExactIf(function_name, bucket >= now() - INTERVAL 7 DAY) AS functions,
                       sumIf(inferences, bucket >= now() - INTERVAL 24 HOUR) AS inferences,
                       sumIf(errors, bucket >= now() - INTERVAL 24 HOUR) AS errors
                  FROM inference_rollup_1h WHERE bucket >= now() - INTERVAL 7 DAY`,
        format: "JSONEachRow",
      });
      const [row] = await result.json<{ functions: string; inferences: string; errors: string }>();
      return { functions: num(row?.functions), inferences24h: num(row?.inferences), errors24h: num(row?.errors) };
    }),
    part(async () => {
      const [q] = await db.select({ n: count() }).from(labelQueues);
      const [l] = await db.select({ n: count() }).from(labels);
      return { queues: num(q?.n), labels: num(l?.n) };
    }),
    part(async () => {
      const [e] = await db.select({ n: count() }).from(lineageEdges);
      return { edges: num(e?.n) };
    }),
  ]);
  return { experiments: exp, registry, gateway, labelling, lineage };
}

const fmt = (n: number) => n.toLocaleString("en");
const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;

/** One line per area, keyed by its dashboard path. */
export function summaryLines(summary: OverviewSummary): Partial<Record<string, string>> {
  const { experiments: e, registry: r, gateway: g, labelling: l, lineage } = summary;
  return {
    "/experiments": e && `${plural(e.experiments, "experiment")} · ${plural(e.runs, "run")}`,
    "/registry": r && `${plural(r.models, "model")} · ${plural(r.prompts, "prompt")}`,
    "/functions": g && `${plural(g.functions, "function")} with traffic in the last 7 days`,
    "/inferences":
      g &&
      `${plural(g.inferences24h, "inference")} in the last 24 h${g.inferences24h > 0 ? ` · ${((100 * g.errors24h) / g.inferences24h).toFixed(1)}% errors` : ""}`,
    "/labelling": l && `${plural(l.queues, "queue")} · ${plural(l.labels, "label")}`,
    "/lineage": lineage && `${plural(lineage.edges, "recorded link")}`,
  };
}
