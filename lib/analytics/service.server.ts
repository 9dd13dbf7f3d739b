import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { NotFoundError, BadRequestError } from "@/lib/http/errors";
import { buildAbReport, type AbReport } from "./ab";
import { configuredFunctions, functionInfo, type ConfiguredFunction } from "./catalog.server";
import { abDailyStats, listFunctions, metricStats, rangeInfo, trafficByVariant, variantStats, type SeriesScope } from "./queries.server";
import type { ResolvedRange, TagFilter } from "./range";
import type { FunctionList, FunctionReport } from "./schemas";

/** The verbs behind the functions & variants and A/B pages; route handlers and pages call these. */

/** Functions with traffic in the range, busiest first, then configured ones that had none. */
export async function getFunctionList(
  client: ClickHouseClient,
  range: ResolvedRange,
  catalog: () => Promise<ConfiguredFunction[]> = configuredFunctions,
): Promise<FunctionList> {
  const functions = await listFunctions(client, range);
  const seen = new Set(functions.map((f) => f.name));
  const idle = (await catalog())
    .filter((f) => !seen.has(f.name))
    .map((f) => ({ name: f.name, variants: f.variants.length, requests: 0, errors: 0, cost: 0, latencyP95: null, lastSeen: null }));
  return { range: rangeInfo({ functionName: "", range }), functions: [...functions, ...idle] };
}

export async function getFunctionReport(
  client: ClickHouseClient,
  input: { name: string; range: ResolvedRange; tags?: TagFilter[] },
): Promise<FunctionReport> {
  const info = await functionInfo(client, input.name, input.range.from, input.range.to);
  if (!info) throw new NotFoundError(`No function "${input.name}": nothing configured or recorded under that name in this time range`);
  const scope: SeriesScope = { functionName: input.name, range: input.range, tags: input.tags };
  // Sequential on purpose: an embedded engine serves one query at a time anyway.
  const variants = await variantStats(client, scope);
  const metrics = await metricStats(client, scope);
  return {
    function: info,
    range: rangeInfo(scope),
    summary: variants.summary,
    series: variants.series,
    metricSummary: metrics.summary,
    metricSeries: metrics.series,
  };
}

export async function getAbReport(
  client: ClickHouseClient,
  input: { name: string; metric?: string; control?: string; range: ResolvedRange },
): Promise<AbReport> {
  const { from, to } = input.range;
  const info = await functionInfo(client, input.name, from, to);
  if (!info) throw new NotFoundError(`No function "${input.name}": nothing configured or recorded under that name in this time range`);
  const metric = input.metric ? info.metrics.find((m) => m.name === input.metric) : info.metrics[0];
  if (!metric) {
    throw input.metric
      ? new BadRequestError(
          `Function "${input.name}" has no float or boolean metric "${input.metric}"; known: ${info.metrics.map((m) => m.name).join(", ") || "none"}`,
        )
      : new NotFoundError(`Function "${input.name}" has no float or boolean feedback to compare yet`);
  }
  const control = input.control ?? info.variants[0]?.name;
  if (!control || !info.variants.some((v) => v.name === control)) {
    throw new BadRequestError(
      `Function "${input.name}" has no variant "${input.control ?? ""}"; variants: ${info.variants.map((v) => v.name).join(", ")}`,
    );
  }
  const daily = await abDailyStats(client, { functionName: input.name, metric: metric.name, level: metric.level, from, to });
  const traffic = await trafficByVariant(client, input.name, from, to);
  // The control first, then the other variants in their configured order.
  const variants = [...info.variants.filter((v) => v.name === control), ...info.variants.filter((v) => v.name !== control)];
  return buildAbReport({
    functionName: input.name,
    metric,
    metrics: info.metrics,
    control,
    from,
    to,
    daily,
    variants,
    traffic,
    checkTraffic: metric.level === "inference",
  });
}
