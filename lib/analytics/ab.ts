import { analyseAb, DEFAULT_MIN_SAMPLES, type Design, type Mde, type VariantInput } from "@/lib/stats/ab-test";
import { sampleRatioMismatch, type SrmResult } from "@/lib/stats/sample-ratio";
import { cumulativeLooks, recentPerDay, toStats, type DailyStats, type Totals } from "./ab-data";
import type { AbReport, AbVariant } from "./ab-schema";
import { metricRow } from "./scorecard";
import type { MetricInfo } from "./schemas";

/**
 * Wiring of lib/stats to the dashboard: daily sufficient statistics become cumulative looks, one
 * per day, analysed under the experiment's design; the result is flattened into a JSON- and
 * CSV-friendly report (ab-schema.ts).
 */
export { abCsv, csvField } from "./ab-csv";
export { cumulativeLooks, toStats, type DailyStats } from "./ab-data";
export { abReportSchema, abVariantSchema, type AbReport, type AbVariant, type ScorecardRow, type ScorecardCell } from "./ab-schema";

const fin = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

export interface AbRequest {
  functionName: string;
  metric: MetricInfo;
  /** Every metric of the function (defaults to just `metric`). */
  metrics?: MetricInfo[];
  control: string;
  from: number;
  to: number;
  daily: DailyStats[];
  /** Every variant to show, with its configured weight (null when unknown). */
  variants: { name: string; weight: number | null }[];
  /** Requests per variant in the window. */
  traffic: Map<string, number>;
  /**
   * Whether requests are the unit of assignment (check them against the weights). Not for
   * episode-level metrics, nor for clustered ones: variants are drawn per episode, and episodes
   * differ in length.
   */
  checkTraffic?: boolean;
  design?: { design: Design; start: number | null; configured: boolean };
  mde?: Mde | null;
  /** Adaptive allocation: the weights of each day (from lib/analytics/allocation.ts) and requests per day. */
  adaptive?: {
    metric: string;
    floor: number;
    weights: { day: number; weights: Map<string, number> }[];
    dailyRequests: { variant: string; day: number; requests: number }[];
  };
}

export function buildAbReport(req: AbRequest): AbReport {
  const names = req.variants.map((v) => v.name);
  const { days, totals } = cumulativeLooks(req.daily, names);
  const last = (name: string): Totals => totals.get(name)?.at(-1) ?? { n: 0, sum: 0, sumSq: 0 };
  const design = req.design?.design ?? { kind: "open" };
  const inputs: VariantInput[] = req.variants.map((v) => ({
    name: v.name,
    stats: toStats(req.metric.type, last(v.name)),
    looks: (totals.get(v.name) ?? []).slice(0, -1).map((t) => toStats(req.metric.type, t)),
    perDay: recentPerDay(req.daily, v.name, req.from, req.to),
  }));
  const result = analyseAb({
    metric: req.metric,
    control: req.control,
    variants: inputs,
    design,
    mde: req.mde ?? undefined,
    allocation: req.adaptive ? "adaptive" : "fixed",
  });
  // Clustered only when some episode holds several observations; otherwise counts are episodes anyway.
  const clustered = req.variants.some((v) => {
    const t = last(v.name);
    return t.clusters !== undefined && t.clusters.count < t.n;
  });

  // The ratio checks are done here, over the variants in the randomised split: those with a
  // positive configured weight (a weight-0 variant only serves as a fallback; one dropped from the
  // configuration has no weight). Under adaptive allocation the expected split is each day's
  // weights times that day's traffic; clustered observations are counted by episode.
  const weighted = req.variants.filter((v): v is { name: string; weight: number } => v.weight !== null && v.weight > 0);
  const expectedShares = (perDay: Map<number, number>) =>
    weighted.map((v) =>
      req.adaptive ? req.adaptive.weights.reduce((s, w) => s + (w.weights.get(v.name) ?? 0) * (perDay.get(w.day) ?? 0), 0) : v.weight,
    );
  const requestsPerDay = sumByDay((req.adaptive?.dailyRequests ?? []).map((r) => ({ day: r.day, n: r.requests })));
  const observationsPerDay = sumByDay(req.daily.map((d) => ({ day: d.day, n: clustered ? (d.clusters?.count ?? d.n) : d.n })));
  const trafficObserved = weighted.map((v) => req.traffic.get(v.name) ?? 0);
  const observations = weighted.map((v) => (clustered ? (last(v.name).clusters?.count ?? 0) : last(v.name).n));
  const checkTraffic = req.checkTraffic !== false && !clustered;
  const trafficSrm = checkTraffic ? sampleRatioMismatch(trafficObserved, expectedShares(requestsPerDay)) : undefined;
  const observationSrm = sampleRatioMismatch(observations, expectedShares(observationsPerDay));
  const unit = clustered ? "episodes" : `${req.metric.name} observations`;
  const headline = trafficSrm?.mismatch
    ? `Sample ratio mismatch: requests do not follow the ${req.adaptive ? "allocation's" : "configured"} weights (p = ${trafficSrm.pValue.toExponential(1)}); check the assignment before trusting this. ${result.headline}`
    : observationSrm?.mismatch
      ? `Sample ratio mismatch: ${unit} do not follow the ${req.adaptive ? "allocation's" : "configured"} weights (p = ${observationSrm.pValue.toExponential(1)}), so results may be biased. ${result.headline}`
      : result.headline;

  const variants = result.variants.map((v, i): AbVariant => {
    const c = v.comparison;
    const s = c?.sequential;
    const p = c?.power;
    const cfg = req.variants[i];
    const latest = s?.path.at(-1);
    return {
      name: v.name,
      isControl: v.isControl,
      weight: cfg?.weight ?? null,
      traffic: req.traffic.get(v.name) ?? 0,
      n: v.n,
      clusters: clustered ? v.clusters : null,
      designEffect: clustered ? fin(v.designEffect) : null,
      estimate: v.n > 0 ? fin(v.estimate) : null,
      ciLow: fin(v.ci?.[0]),
      ciHigh: fin(v.ci?.[1]),
      diff: fin(c?.diff),
      diffCiLow: fin(c?.diffCi[0]),
      diffCiHigh: fin(c?.diffCi[1]),
      lift: fin(c?.lift),
      liftCiLow: fin(c?.liftCi?.[0]),
      liftCiHigh: fin(c?.liftCi?.[1]),
      pValue: fin(c?.pValue),
      sequentialPValue: fin(s?.pValue),
      sequentialEstimate: fin(s?.estimate),
      sequentialCiLow: fin(s?.ci[0]),
      sequentialCiHigh: fin(s?.ci[1]),
      decidedAt: s?.decidedAt ?? null,
      boundary: fin(latest?.boundary),
      z: fin(latest?.z),
      verdict: c?.verdict.status ?? null,
      verdictText: c?.verdict.text ?? null,
      morePerVariant: fin(c?.verdict.morePerVariant),
      planningEffect: fin(p?.effect),
      mdeNow: fin(p?.mdeNow),
      mdeHorizon: fin(p?.mdeHorizon),
      horizonPerVariant: fin(p?.horizonPerVariant),
      neededPerVariant: fin(p?.neededPerVariant),
      perDay: fin(p?.perDay),
      expectedDays: fin(p?.expectedDays),
      decisionProbability: fin(p?.decisionProbability),
      path: (s?.path ?? []).map((x) => ({ look: x.look, z: x.z, boundary: fin(x.boundary) })),
    };
  });
  const srm = (s: SrmResult | null | undefined, observed: number[]) =>
    s ? { pValue: s.pValue, mismatch: s.mismatch, variants: weighted.map((v) => v.name), observed, expected: s.expected } : null;
  const history = days.flatMap((day, d) =>
    names.map((variant) => {
      const t = totals.get(variant)?.[d] ?? { n: 0, sum: 0, sumSq: 0 };
      return { day, variant, n: t.n, estimate: t.n > 0 ? t.sum / t.n : null };
    }),
  );
  const report: AbReport = {
    functionName: req.functionName,
    metric: req.metric,
    metrics: req.metrics ?? [req.metric],
    control: req.control,
    from: req.from,
    to: req.to,
    alpha: result.alpha,
    looks: days.length,
    design: {
      kind: design.kind,
      looks: design.kind === "planned" ? design.looks : null,
      start: req.design?.start ?? null,
      configured: req.design?.configured ?? false,
    },
    mde: req.mde ?? null,
    allocation: req.adaptive
      ? {
          kind: "adaptive",
          metric: req.adaptive.metric,
          floor: req.adaptive.floor,
          history: req.adaptive.weights.flatMap((w) => [...w.weights].map(([variant, weight]) => ({ day: w.day, variant, weight }))),
        }
      : { kind: "fixed", metric: null, floor: null, history: [] },
    clustered,
    headline,
    variants,
    srm: srm(observationSrm, observations),
    trafficSrm: srm(trafficSrm, trafficObserved),
    history,
    minSamples: DEFAULT_MIN_SAMPLES,
    scorecard: [],
  };
  return { ...report, scorecard: [metricRow(report, "primary")] };
}

function sumByDay(rows: { day: number; n: number }[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of rows) out.set(r.day, (out.get(r.day) ?? 0) + r.n);
  return out;
}
