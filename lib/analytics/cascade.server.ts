import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { summariseCascades, type CascadeSummary } from "./cascade";
import { cascadeStats } from "./cascade-queries.server";
import type { ResolvedRange } from "./range";

/** The function's cascade variants (from the running gateway's config) with their figures over the range; [] when it has none. */
export async function getCascadeSummary(
  clickhouse: ClickHouseClient,
  functionName: string,
  range: ResolvedRange,
): Promise<CascadeSummary[]> {
  const { getGateway } = await import("@/lib/gateway/runtime.server");
  const config = (await getGateway()).config;
  const fn = config.functions[functionName];
  const cascades = Object.fromEntries(
    Object.entries(fn?.variants ?? {}).flatMap(([name, v]) => (v.cascade ? [[name, { model: v.model, models: v.cascade.models }]] : [])),
  );
  if (Object.keys(cascades).length === 0) return [];
  const stats = await cascadeStats(clickhouse, functionName, range.from, range.to);
  const prices = Object.fromEntries(Object.entries(config.models).map(([name, m]) => [name, m.price]));
  return summariseCascades(stats, cascades, prices);
}
