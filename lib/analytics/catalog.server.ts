import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import type { GatewayConfig } from "@/lib/gateway/config";
import type { AdaptiveConfig, ExperimentConfig, MdeConfig } from "@/lib/gateway/experiment-config";
import { observedMetrics, observedVariants } from "./function-queries.server";
import type { FunctionInfo, MetricInfo } from "./schemas";
import { MAX_RANGE_MS } from "./range";

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
  /** The A/B design per metric, each metric's minimum detectable effect, and adaptive allocation. */
  experiments: Record<string, ExperimentConfig>;
  mde: Record<string, MdeConfig>;
  adaptive?: AdaptiveConfig;
}

/** The functions of a gateway configuration; metrics are declared once for every function. */
export function fromGatewayConfig(config: GatewayConfig): ConfiguredFunction[] {
  const metrics = Object.entries(config.metrics).map(([name, m]) => ({ name, type: m.type, optimize: m.optimize, level: m.level }));
  const mde = Object.fromEntries(Object.entries(config.metrics).flatMap(([name, m]) => (m.mde ? [[name, m.mde]] : [])));
  return Object.entries(config.functions).map(([name, fn]) => ({
    name,
    variants: Object.entries(fn.variants).map(([variant, v]) => ({ name: variant, weight: v.weight })),
    metrics,
    experiments: fn.experiments,
    mde,
    ...(fn.adaptive ? { adaptive: fn.adaptive } : {}),
  }));
}

/** The functions of the running gateway's configuration (none if it cannot be loaded: data decides then). */
export async function configuredFunctions(): Promise<ConfiguredFunction[]> {
  try {
    const { getGateway } = await import("@/lib/gateway/runtime.server");
    return fromGatewayConfig((await getGateway()).config);
  } catch (error) {
    console.warn(`[llmops] dashboard: no gateway configuration (${(error as Error).message}); variants and metrics inferred from data`);
    return [];
  }
}

/** Settings of a metric nothing declares: boolean if all its values are, episode-level if most are. */
export function inferMetric(o: {
  metric_name: string;
  booleans: number;
  floats: number;
  episodes: number;
  inferences: number;
}): MetricInfo {
  return {
    name: o.metric_name,
    type: o.floats === 0 ? "boolean" : "float",
    optimize: "max",
    level: o.episodes > o.inferences ? "episode" : "inference",
    declared: false,
  };
}

export async function functionInfo(
  client: ClickHouseClient,
  name: string,
  from: number,
  to: number,
  catalog: ConfiguredFunction[] | (() => Promise<ConfiguredFunction[]>) = configuredFunctions,
): Promise<FunctionInfo | undefined> {
  return (await describeFunction(client, name, from, to, catalog))?.info;
}

/**
 * functionInfo, and which of its metrics have feedback in [from, to): read from the hourly rollup,
 * which counts every row feedback_by_metric holds for the window (and more: the whole first hour,
 * and rows deleted since), so a metric it does not name has no statistics to read there.
 */
export async function describeFunction(
  client: ClickHouseClient,
  name: string,
  from: number,
  to: number,
  catalog: ConfiguredFunction[] | (() => Promise<ConfiguredFunction[]>) = configuredFunctions,
): Promise<{ info: FunctionInfo; metricsWithFeedback: Set<string> } | undefined> {
  const configured = (typeof catalog === "function" ? await catalog() : catalog).find((f) => f.name === name);
  const [variants, metrics] = await Promise.all([observedVariants(client, name, from, to), observedMetrics(client, name, from, to)]);
  const seen = new Set(metrics.map((m) => m.metric_name));
  if (!configured) {
    if (variants.length === 0 && metrics.length === 0) return undefined;
    const info: FunctionInfo = {
      name,
      source: "data",
      variants: variants.map((v) => ({ name: v, weight: null })),
      metrics: metrics.map(inferMetric),
    };
    return { info, metricsWithFeedback: seen };
  }
  const declared = new Set(configured.metrics.map((m) => m.name));
  const known = new Set(configured.variants.map((v) => v.name));
  const info: FunctionInfo = {
    name,
    source: "config",
    // Configured variants first, then any with traffic that left the config (weight unknown).
    variants: [...configured.variants, ...variants.filter((v) => !known.has(v)).map((v) => ({ name: v, weight: null }))],
    // Declared metrics with feedback for this function first (metrics are declared globally).
    metrics: [
      ...configured.metrics.filter((m) => seen.has(m.name)).map((m) => ({ ...m, declared: true })),
      ...configured.metrics.filter((m) => !seen.has(m.name)).map((m) => ({ ...m, declared: true })),
      ...metrics.filter((m) => !declared.has(m.metric_name)).map(inferMetric),
    ],
  };
  return { info, metricsWithFeedback: seen };
}

/**
 * Whether a function page has something to show: configured now, or with traffic or feedback in
 * the longest range a page may ask for (MAX_RANGE_MS). Pages answer 404 otherwise.
 */
export async function functionExists(client: ClickHouseClient, name: string, now = Date.now()): Promise<boolean> {
  return (await functionInfo(client, name, now - MAX_RANGE_MS, now + 1)) !== undefined;
}
