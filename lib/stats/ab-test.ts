import { meanInterval, twoProportionTest, welchTest, wilsonInterval, type Comparison, type Interval } from "./fixed-horizon";
import { sampleRatioMismatch, type SrmResult } from "./sample-ratio";
import { combineLooks, mixingVariance, msprt, sequentialSampleSize, type SequentialResult } from "./sequential";
import { describeComparison, type Verdict } from "./verdict";

/**
 * An A/B analysis of one metric across a function's variants against a chosen control:
 * per-variant estimates with intervals, fixed-horizon tests, the always-valid sequential test
 * (which decides the verdict, so daily peeking is safe), and a sample-ratio check.
 */
export type Stats = { kind: "float"; n: number; mean: number; variance: number } | { kind: "boolean"; n: number; successes: number };

export interface VariantInput {
  name: string;
  stats: Stats;
  /** Configured weight, for the sample-ratio check. */
  weight?: number;
  /** Cumulative statistics at earlier looks (e.g. end of each day), oldest first; `stats` is the last. */
  looks?: Stats[];
}

export interface AbInput {
  metric: { name: string; type: "float" | "boolean"; optimize: "max" | "min" };
  control: string;
  variants: VariantInput[];
  alpha?: number;
  /** Fewer observations than this in a variant: too early to compare. */
  minSamples?: number;
}

export interface VariantResult {
  name: string;
  isControl: boolean;
  n: number;
  /** Mean, or rate for boolean metrics. */
  estimate: number;
  ci: Interval | null;
  comparison: (Comparison & { sequential: SequentialResult; verdict: Verdict }) | null;
}

export interface AbResult {
  metric: AbInput["metric"];
  control: string;
  alpha: number;
  variants: VariantResult[];
  srm: SrmResult | null;
  /** The verdict for the best treatment (or the reason there is none), in plain language. */
  headline: string;
}

export const DEFAULT_MIN_SAMPLES = 30;

const estimateOf = (s: Stats) => (s.kind === "float" ? s.mean : s.n > 0 ? s.successes / s.n : NaN);
const varianceOf = (s: Stats) => (s.kind === "float" ? s.variance : s.n > 0 ? (s.successes / s.n) * (1 - s.successes / s.n) : 0);

function compare(control: Stats, treatment: Stats, alpha: number): Comparison | undefined {
  if (control.kind === "float" && treatment.kind === "float") return welchTest(control, treatment, alpha);
  if (control.kind === "boolean" && treatment.kind === "boolean") return twoProportionTest(control, treatment, alpha);
  return undefined;
}

function sequentialFor(controlLooks: Stats[], treatmentLooks: Stats[], tau2: number, alpha: number): SequentialResult | undefined {
  const results: SequentialResult[] = [];
  for (let i = 0; i < Math.min(controlLooks.length, treatmentLooks.length); i++) {
    const c = controlLooks[i];
    const t = treatmentLooks[i];
    if (!c || !t) continue;
    const cmp = compare(c, t, alpha);
    if (cmp) results.push(msprt({ diff: cmp.diff, variance: cmp.diffVariance, tau2, alpha }));
  }
  return combineLooks(results);
}

export function analyseAb(input: AbInput): AbResult {
  const alpha = input.alpha ?? 0.05;
  const minSamples = input.minSamples ?? DEFAULT_MIN_SAMPLES;
  const control = input.variants.find((v) => v.name === input.control);
  if (!control) throw new Error(`control variant "${input.control}" has no data in this comparison`);

  const variants = input.variants.map((v): VariantResult => {
    const s = v.stats;
    const ci = s.kind === "float" ? meanInterval(s, alpha) : wilsonInterval(s, alpha);
    const base = { name: v.name, isControl: v === control, n: s.n, estimate: estimateOf(s), ci: ci ?? null, comparison: null };
    if (v === control) return base;
    const cmp = compare(control.stats, s, alpha);
    if (!cmp) return base;
    const pooled = (varianceOf(control.stats) + varianceOf(s)) / 2;
    const tau2 = mixingVariance(pooled);
    const sequential =
      sequentialFor([...(control.looks ?? []), control.stats], [...(v.looks ?? []), s], tau2, alpha) ??
      msprt({ diff: cmp.diff, variance: cmp.diffVariance, tau2, alpha });
    const needed = (effect: number) =>
      sequentialSampleSize({ effect, varianceControl: varianceOf(control.stats), varianceTreatment: varianceOf(s), tau2, alpha });
    const verdict = describeComparison({
      metric: input.metric,
      control: { name: control.name, n: control.stats.n, estimate: estimateOf(control.stats) },
      treatment: { name: v.name, n: s.n },
      diff: cmp.diff,
      sequential,
      minSamples,
      alpha,
      neededPerVariant: needed,
    });
    return { ...base, comparison: { ...cmp, sequential, verdict } };
  });

  const weights = input.variants.map((v) => v.weight);
  const srm = weights.every((w): w is number => typeof w === "number")
    ? (sampleRatioMismatch(
        input.variants.map((v) => v.stats.n),
        weights,
      ) ?? null)
    : null;
  return { metric: input.metric, control: control.name, alpha, variants, srm, headline: headline(variants, srm) };
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
