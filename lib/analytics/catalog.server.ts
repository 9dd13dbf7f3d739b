import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { observedMetrics, observedVariants } from "./queries.server";
import type { FunctionInfo, MetricInfo } from "./schemas";

/**
 * What the dashboard needs to know about a function besides its data: its variants with their
 * configured weights (for the sample-ratio check) and its declared metrics (type, direction,
 * level). The gateway's configuration is the source when it knows the function; otherwise (a
 * function dropped from the config, or none loaded) everything is inferred from recorded data.
 */
export interface ConfiguredFunction {
  name: string;
  variants: { name: string; weight: number }[];
  metrics: Omit<MetricInfo, "declared">[];
}

/** Functions of the gateway's configuration; none until a configuration is wired in. */
export async function configuredFunctions(): Promise<ConfiguredFunction[]> {
  return [];
}

/** Settings of a metric nothing declares: boolean if all its values are, episode-level if most are. */
export function inferMetric(o: { metric_name: string; booleans: number; floats: number; episodes: number; inferences: number }): MetricInfo {
  return {
    name: o.metric_name,
    type: o.floats === 0 ? "boolean" : "float",
    optimize: "max",
    level: o.episodes > o.inferences ? "episode" : "inference",
    declared: false,
  };
}

export async function functionInfo(client: ClickHouseClient, name: string, from: number, to: number): Promise<FunctionInfo | undefined> {
  const configured = (await configuredFunctions()).find((f) => f.name === name);
  const [variants, metrics] = await Promise.all([observedVariants(client, name, from, to), observedMetrics(client, name, from, to)]);
  if (configured) {
    const declared = new Set(configured.metrics.map((m) => m.name));
    const known = new Set(configured.variants.map((v) => v.name));
    return {
      name,
      source: "config",
      // Configured variants first, then any with traffic that left the config (weight unknown).
      variants: [...configured.variants, ...variants.filter((v) => !known.has(v)).map((v) => ({ name: v, weight: null }))],
      metrics: [...configured.metrics.map((m) => ({ ...m, declared: true })), ...metrics.filter((m) => !declared.has(m.metric_name)).map(inferMetric)],
    };
  }
  if (variants.length === 0 && metrics.length === 0) return undefined;
  return { name, source: "data", variants: variants.map((v) => ({ name: v, weight: null })), metrics: metrics.map(inferMetric) };
}
