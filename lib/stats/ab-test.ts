import type { Design, SequentialResult } from "./designs";
import { sequentialTest } from "./designs";
import { meanInterval, wilsonInterval, type Comparison, type Interval } from "./fixed-horizon";
import { buildLooks } from "./looks";
import { planPower, type PowerResult } from "./power";
import { sampleRatioMismatch, type SrmResult } from "./sample-ratio";
import { compare, effective, estimateOf, varianceOf, type Stats } from "./samples";
import { mixingVariance, optimalMixingVariance } from "./sequential";
import { describeComparison, PLANNING_LIFT, type Verdict } from "./verdict";

/**
 * An A/B analysis of one metric across a function's variants against a chosen control:
 * per-variant estimates with intervals, fixed-horizon tests (for reference), the sequential test
 * of the experiment's design (which decides the verdict, so daily peeking is safe), power and
 * minimum detectable effects, and a sample-ratio check. Clustered samples (several observations
 * per episode) are analysed with their cluster-robust variance throughout.
 */
export type { Design, SequentialResult, Stats };

export interface VariantInput {
  name: string;
  stats: Stats;
  /** Configured weight, for the sample-ratio check. */
  weight?: number;
  /** Cumulative statistics at earlier looks (e.g. end of each day), oldest first; `stats` is the last. */
  looks?: Stats[];
  /** Observations per day at today's traffic (default: the average over the looks). */
  perDay?: number;
}

/** The smallest effect worth detecting: absolute (metric units) or relative to the control. */
export interface Mde {
  value: number;
  relative: boolean;
}

export interface AbInput {
  metric: { name: string; type: "float" | "boolean"; optimize: "max" | "min" };
  control: string;
  variants: VariantInput[];
  alpha?: number;
  /** Fewer observations than this in a variant: too early to compare. */
  minSamples?: number;
  /** `open` (default): mSPRT; `planned`: alpha spending over `looks` planned looks (the current look is the number given). */
  design?: Design;
  /** Tunes the open design's mixing variance and is the effect power is planned for. */
  mde?: Mde;
  /** `adaptive`: weights changed between looks (per day); each look's increment is analysed as its own batch. */
  allocation?: "fixed" | "adaptive";
  /** Target power of the planning figures (default 0.8). */
  power?: number;
}

export interface VariantResult {
  name: string;
  isControl: boolean;
  n: number;
  /** Clusters (episodes) behind the observations, when clustered. */
  clusters: number | null;
  /** Cluster-robust variance over the independent one (1 when unclustered). */
  designEffect: number;
  /** Mean, or rate for boolean metrics. */
  estimate: number;
  ci: Interval | null;
  comparison: (Comparison & { sequential: SequentialResult; power: PowerResult; verdict: Verdict }) | null;
}

export interface AbResult {
  metric: AbInput["metric"];
  control: string;
  alpha: number;
  design: Design;
  allocation: "fixed" | "adaptive";
  variants: VariantResult[];
  srm: SrmResult | null;
  /** The verdict for the best treatment (or the reason there is none), in plain language. */
  headline: string;
}

export const DEFAULT_MIN_SAMPLES = 30;

export function analyseAb(input: AbInput): AbResult {
  const alpha = input.alpha ?? 0.05;
  const minSamples = input.minSamples ?? DEFAULT_MIN_SAMPLES;
  const design = input.design ?? { kind: "open" };
  const allocation = input.allocation ?? "fixed";
  const control = input.variants.find((v) => v.name === input.control);
  if (!control) throw new Error(`control variant "${input.control}" has no data in this comparison`);
  const controlEffective = effective(control.stats);
  const controlEstimate = estimateOf(control.stats);
  const perDay = (v: VariantInput) => v.perDay ?? v.stats.n / Math.max(1, (v.looks?.length ?? 0) + 1);

  const variants = input.variants.map((v): VariantResult => {
    const s = v.stats;
    const eff = effective(s);
    const ci = eff.kind === "float" ? meanInterval(eff, alpha) : wilsonInterval(eff, alpha);
    const base: VariantResult = {
      name: v.name,
      isControl: v === control,
      n: s.n,
      clusters: s.clusters?.count ?? null,
      designEffect: eff.n > 0 ? s.n / eff.n : 1,
      estimate: estimateOf(s),
      ci: ci ?? null,
      comparison: null,
    };
    if (v === control) return base;
    const cmp = compare(controlEffective, eff, alpha);
    if (!cmp) return base;

    const declared = input.mde ? (input.mde.relative ? input.mde.value * Math.abs(controlEstimate) : input.mde.value) : 0;
    const tau2 =
      declared > 0 ? optimalMixingVariance(declared, alpha) : mixingVariance((varianceOf(controlEffective) + varianceOf(eff)) / 2);
    const looks = buildLooks([...(control.looks ?? []), control.stats], [...(v.looks ?? []), s], {
      design,
      adaptive: allocation === "adaptive",
    });
    const sequential = sequentialTest(design, looks, tau2, alpha);
    const planning = planningEffect(declared, sequential.estimate, controlEstimate, controlEffective, eff);
    const power = planPower({
      design,
      alpha,
      power: input.power ?? 0.8,
      arms: [
        { n: control.stats.n, varianceOfMean: varianceOf(controlEffective) / Math.max(controlEffective.n, 1e-12), perDay: perDay(control) },
        { n: s.n, varianceOfMean: varianceOf(eff) / Math.max(eff.n, 1e-12), perDay: perDay(v) },
      ],
      effect: planning.effect,
      tau2,
      sequential,
      adaptive: allocation === "adaptive",
    });
    const verdict = describeComparison({
      metric: input.metric,
      control: { name: control.name, n: control.stats.n, estimate: controlEstimate },
      treatment: { name: v.name, n: s.n },
      sequential,
      minSamples,
      power,
      effectSource: planning.source,
    });
    return { ...base, comparison: { ...cmp, sequential, power, verdict } };
  });

  // Clustered observations are checked by cluster: episodes are the unit of assignment.
  const weights = input.variants.map((v) => v.weight);
  const srm = weights.every((w): w is number => typeof w === "number")
    ? (sampleRatioMismatch(
        input.variants.map((v) => v.stats.clusters?.count ?? v.stats.n),
        weights,
      ) ?? null)
    : null;
  return { metric: input.metric, control: control.name, alpha, design, allocation, variants, srm, headline: headline(variants, srm) };
}

/**
 * The effect to plan for: the declared minimum effect; else the observed one or a 5% lift,
 * whichever is larger (a tenth of a standard deviation when the control's value is zero).
 */
function planningEffect(declared: number, observed: number, controlEstimate: number, c: Stats, t: Stats) {
  if (declared > 0) return { effect: declared, source: "mde" as const };
  const fallback =
    controlEstimate !== 0 && Number.isFinite(controlEstimate)
      ? PLANNING_LIFT * Math.abs(controlEstimate)
      : 0.1 * Math.sqrt((varianceOf(c) + varianceOf(t)) / 2) || 1e-9;
  return Math.abs(observed) > fallback
    ? { effect: Math.abs(observed), source: "observed" as const }
    : { effect: fallback, source: "default" as const };
}

const RANK: Record<Verdict["status"], number> = { winner: 0, loser: 1, inconclusive: 2, collecting: 3 };

function headline(variants: VariantResult[], srm: SrmResult | null): string {
  const verdicts = variants.flatMap((v) => (v.comparison ? [v.comparison.verdict] : []));
  verdicts.sort((a, b) => RANK[a.status] - RANK[b.status]);
  const main = verdicts[0]?.text ?? "Not enough data yet: no variant besides the control has observations for this metric.";
  return srm?.mismatch
    ? `Sample ratio mismatch: traffic does not follow the configured weights (p = ${srm.pValue.toExponential(1)}), so results may be biased. ${main}`
    : main;
}
