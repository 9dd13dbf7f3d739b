import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { NotFoundError, BadRequestError } from "@/lib/http/errors";
import type { Design } from "@/lib/stats/ab-test";
import { buildAbReport, type AbReport, type AbRequest } from "./ab";
import { DAY_MS } from "./ab-data";
import { abDailyStats, dailyTraffic, feedbackDaily, guardrailTotals, hasMultiInferenceEpisodes } from "./ab-queries.server";
import { dayOf, weightsForDay } from "./allocation";
import { configuredFunctions, describeFunction, functionInfo, type ConfiguredFunction } from "./catalog.server";
import { listFunctions } from "./function-queries.server";
import { metricStats } from "./metric-stats.server";
import { guardrailRows, withScorecard } from "./scorecard";
import { rangeInfo, type SeriesScope } from "./scope";
import { variantStats } from "./variant-stats.server";
import type { ResolvedRange, TagFilter } from "./range";
import type { FunctionList, FunctionReport, MetricInfo } from "./schemas";

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
  // At once: side by side on a ClickHouse server, and chDB overlaps them a little too.
  const [variants, metrics] = await Promise.all([variantStats(client, scope), metricStats(client, scope)]);
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
  catalog: () => Promise<ConfiguredFunction[]> = configuredFunctions,
): Promise<AbReport> {
  // Whether the function's episodes hold several inferences (how inference-level statistics are
  // grouped) is asked beside functionInfo, not after it: it needs only the function and window.
  const multiInferenceEpisodes = perWindowStart((from, to) => hasMultiInferenceEpisodes(client, input.name, from, to));
  void multiInferenceEpisodes(input.range.from, input.range.to);
  const functions = await catalog();
  const configured = functions.find((f) => f.name === input.name);
  const described = await describeFunction(client, input.name, input.range.from, input.range.to, functions);
  if (!described) throw new NotFoundError(`No function "${input.name}": nothing configured or recorded under that name in this time range`);
  const { info, metricsWithFeedback } = described;
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
  // The control first, then the other variants in their configured order.
  const variants = [...info.variants.filter((v) => v.name === control), ...info.variants.filter((v) => v.name !== control)];
  /** An experiment with a configured start day is analysed from that day: its looks count from there. */
  const windowOf = (m: MetricInfo) => {
    const experiment = configured?.experiments[m.name];
    const start = experiment?.start ?? null;
    return { experiment, start, from: start ?? input.range.from, to: input.range.to };
  };
  // Shared by the metrics analysed from the same start: the guardrails' rollup read, whose
  // requests per variant are also the traffic split, and the adaptive weights' history.
  const totalsFrom = perWindowStart((from, to) => guardrailTotals(client, input.name, from, to));
  const adaptive = perWindowStart(async (from, to) => (configured ? adaptiveHistory(client, configured, variants, from, to) : undefined));
  const analyse = async (m: MetricInfo): Promise<AbReport> => {
    const { experiment, start, from, to } = windowOf(m);
    if (to <= from) {
      throw new BadRequestError(
        `The experiment on ${m.name} starts on ${new Date(from).toISOString().slice(0, 10)}, after the end of the range; pick a range that ends later`,
      );
    }
    const design: Design =
      experiment?.design === "planned" && experiment.looks ? { kind: "planned", looks: experiment.looks } : { kind: "open" };
    // A declared metric without feedback in the range has no statistics to read (an experiment's
    // window that starts before the range is read all the same).
    const empty = from >= input.range.from && !metricsWithFeedback.has(m.name);
    const [daily, guardrails, history] = await Promise.all([
      empty
        ? []
        : abDailyStats(client, {
            functionName: input.name,
            metric: m.name,
            level: m.level,
            from,
            to,
            ...(m.level === "inference" ? { multiInferenceEpisodes: multiInferenceEpisodes(from, to) } : {}),
          }),
      totalsFrom(from, to),
      adaptive(from, to),
    ]);
    return buildAbReport({
      functionName: input.name,
      metric: m,
      metrics: info.metrics,
      control,
      from,
      to,
      daily,
      variants,
      traffic: new Map(guardrails.map((t) => [t.variant, t.requests])),
      checkTraffic: m.level === "inference",
      design: { design, start, configured: experiment !== undefined },
      mde: configured?.mde[m.name] ?? null,
      adaptive: history,
    });
  };
  // Every metric at once: on a ClickHouse server the queries run side by side, and chDB overlaps
  // them a little too. Another metric's experiment may start after the range ends: it has no row then.
  const others = info.metrics.filter((m) => m.name !== metric.name && windowOf(m).from < input.range.to);
  const [report, ...rest] = await Promise.all([analyse(metric), ...others.map(analyse)]);
  const guardrails = guardrailRows(
    await totalsFrom(report.from, report.to),
    report.variants.map((v) => v.name),
    control,
    report.alpha,
    report.minSamples,
  );
  return withScorecard(report, rest, guardrails);
}

/**
 * A query's promise per window start (every window of a report ends at the range's end), shared by
 * the metrics analysed from that start. A rejection is left to whoever awaits the promise; one
 * started early and never awaited (the report failed first) is not an unhandled rejection.
 */
function perWindowStart<T>(load: (from: number, to: number) => Promise<T>): (from: number, to: number) => Promise<T> {
  const started = new Map<number, Promise<T>>();
  return (from, to) => {
    let promise = started.get(from);
    if (!promise) {
      promise = load(from, to);
      promise.catch(() => undefined);
      started.set(from, promise);
    }
    return promise;
  };
}

/** Under adaptive allocation: the weights the gateway used on each day of the window, and requests per day. */
async function adaptiveHistory(
  client: ClickHouseClient,
  fn: ConfiguredFunction,
  variants: { name: string; weight: number | null }[],
  from: number,
  to: number,
): Promise<AbRequest["adaptive"]> {
  const settings = fn.adaptive;
  const metric = settings ? fn.metrics.find((m) => m.name === settings.metric) : undefined;
  if (!settings || !metric) return undefined;
  const first = dayOf(from);
  const feedback = await feedbackDaily(client, fn.name, metric.name, first - settings.window_days * DAY_MS, to);
  const weights: { day: number; weights: Map<string, number> }[] = [];
  for (let day = first; day < to; day += DAY_MS) {
    weights.push({
      day,
      weights: weightsForDay(feedback, day, variants, {
        metric,
        floor: settings.floor,
        minSamples: settings.min_samples,
        windowDays: settings.window_days,
        epsilon: settings.epsilon,
      }),
    });
  }
  return { metric: metric.name, floor: settings.floor, weights, dailyRequests: await dailyTraffic(client, fn.name, from, to) };
}
