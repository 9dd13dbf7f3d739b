import type { SequentialResult } from "./sequential";

/** Plain-language verdicts, decided by the always-valid (sequential) result. */
export interface Verdict {
  status: "winner" | "loser" | "inconclusive" | "collecting";
  text: string;
  /** More observations per variant before the test could call a difference of the size used. */
  morePerVariant: number | null;
}

interface VerdictInput {
  metric: { name: string; type: "float" | "boolean"; optimize: "max" | "min" };
  control: { name: string; n: number; estimate: number };
  treatment: { name: string; n: number };
  diff: number;
  sequential: SequentialResult;
  minSamples: number;
  alpha: number;
  /** Samples per variant the sequential test needs for an effect of the given size. */
  neededPerVariant: (effect: number) => number;
}

/** Below this relative size an observed difference is too small to plan for; plan for this instead. */
const PLANNING_LIFT = 0.05;

const count = (n: number) => (Number.isFinite(n) ? Math.ceil(n).toLocaleString("en") : "many");

/**
 * "+3.1% [1.2, 5.0]" relative to the control when it is non-zero, else the absolute difference.
 * The interval is the sequential one, so it excludes zero exactly when the verdict is decided.
 */
export function formatEffect(diff: number, ci: [number, number], controlEstimate: number): string {
  if (controlEstimate !== 0 && Number.isFinite(controlEstimate)) {
    const scale = 100 / Math.abs(controlEstimate);
    const pct = (x: number) => (x * scale).toFixed(1);
    return `${diff >= 0 ? "+" : "−"}${Math.abs(diff * scale).toFixed(1)}% [${pct(ci[0])}, ${pct(ci[1])}]`;
  }
  const abs = (x: number) => Number(x.toPrecision(3)).toString();
  return `${diff >= 0 ? "+" : "−"}${abs(Math.abs(diff))} [${abs(ci[0])}, ${abs(ci[1])}]`;
}

export function describeComparison(input: VerdictInput): Verdict {
  const { metric, control, treatment, diff, sequential } = input;
  const fewest = Math.min(control.n, treatment.n);
  if (fewest < input.minSamples) {
    const more = input.minSamples - fewest;
    return {
      status: "collecting",
      text: `Not enough data yet: about ${count(more)} more samples needed per variant before comparing ${treatment.name} with ${control.name} on ${metric.name} (at least ${input.minSamples} each).`,
      morePerVariant: more,
    };
  }
  const effect = formatEffect(diff, sequential.ci, control.estimate);
  if (sequential.pValue < input.alpha) {
    const better = metric.optimize === "max" ? diff > 0 : diff < 0;
    return better
      ? { status: "winner", text: `${treatment.name} beats ${control.name} on ${metric.name}, ${effect}, enough data.`, morePerVariant: 0 }
      : {
          status: "loser",
          text: `${treatment.name} is worse than ${control.name} on ${metric.name}, ${effect}, enough data.`,
          morePerVariant: 0,
        };
  }
  const planning = Math.max(Math.abs(diff), PLANNING_LIFT * Math.abs(control.estimate));
  const usedObserved = planning === Math.abs(diff) && diff !== 0;
  const target = input.neededPerVariant(planning);
  const more = Math.max(0, target - fewest);
  const size = usedObserved ? "a difference this size" : `a ${Math.round(PLANNING_LIFT * 100)}% difference`;
  return {
    status: "inconclusive",
    text: `Not enough data yet: ${treatment.name} vs ${control.name} on ${metric.name} is ${effect}; about ${count(more)} more samples per variant needed to detect ${size}.`,
    morePerVariant: Number.isFinite(more) ? Math.ceil(more) : null,
  };
}
