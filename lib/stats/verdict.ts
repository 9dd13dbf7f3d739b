import type { SequentialResult } from "./designs";
import { effectSentence, effectText, intervalKind, scaleOf } from "./effect";
import type { PowerResult } from "./power";

/** Plain-language verdicts, decided by the sequential result of the experiment's design. */
export interface Verdict {
  status: "winner" | "loser" | "inconclusive" | "collecting";
  text: string;
  /** More observations per variant before the test could call a difference of the planned size. */
  morePerVariant: number | null;
}

interface VerdictInput {
  metric: { name: string; type: "float" | "boolean"; optimize: "max" | "min" };
  control: { name: string; n: number; estimate: number };
  treatment: { name: string; n: number };
  sequential: SequentialResult;
  minSamples: number;
  power: PowerResult;
  /** Where the planning effect comes from: the metric's declared `mde`, or the default. */
  effectSource: "mde" | "default" | "observed";
}

/** Below this relative size an observed difference is too small to plan for; plan for this instead. */
export const PLANNING_LIFT = 0.05;

const count = (n: number) => (Number.isFinite(n) ? Math.ceil(n).toLocaleString("en") : "many");

/**
 * The sequential estimate with its interval, naming unit and interval kind (lib/stats/effect.ts):
 * rates in percentage points (clipped to ±100), means as a share of a non-zero control. The
 * interval is the sequential one, so it excludes zero exactly when the verdict is decided.
 */
export function formatEffect(
  diff: number,
  ci: [number, number],
  controlEstimate: number,
  type: "float" | "boolean" = "float",
  design: "open" | "planned" = "open",
  alpha = 0.05,
): string {
  return effectSentence(effectText(scaleOf(type, controlEstimate), diff, ci, controlEstimate), intervalKind(design, alpha));
}

/** "a 5% difference", "the declared minimum effect (+2.0%)" or "a difference this size". */
function sizeOf(input: VerdictInput): string {
  const { effect } = input.power;
  const relative = input.control.estimate !== 0 ? ` (${((100 * effect) / Math.abs(input.control.estimate)).toFixed(1)}%)` : "";
  if (input.effectSource === "mde") return `the declared minimum effect${relative || ` (${Number(effect.toPrecision(3))})`}`;
  if (input.effectSource === "observed") return "a difference this size";
  return `a ${Math.round(PLANNING_LIFT * 100)}% difference`;
}

export function describeComparison(input: VerdictInput): Verdict {
  const { metric, control, treatment, sequential: seq, power } = input;
  const fewest = Math.min(control.n, treatment.n);
  if (fewest < input.minSamples) {
    const more = input.minSamples - fewest;
    return {
      status: "collecting",
      text: `Not enough data yet: about ${count(more)} more samples needed per variant before comparing ${treatment.name} with ${control.name} on ${metric.name} (at least ${input.minSamples} each).`,
      morePerVariant: more,
    };
  }
  const effect = formatEffect(seq.estimate, seq.ci, control.estimate, metric.type, seq.design);
  const planned = seq.design === "planned" ? ` at look ${seq.look} of ${seq.horizon ?? seq.look}` : "";
  if (seq.decided) {
    const better = metric.optimize === "max" ? seq.estimate > 0 : seq.estimate < 0;
    const how = seq.design === "planned" ? ` (boundary crossed at look ${seq.decidedAt ?? seq.look} of ${seq.horizon ?? seq.look})` : "";
    return {
      status: better ? "winner" : "loser",
      text: better
        ? `${treatment.name} beats ${control.name} on ${metric.name}: ${effect}; enough data${how}.`
        : `${treatment.name} is worse than ${control.name} on ${metric.name}: ${effect}; enough data${how}.`,
      morePerVariant: 0,
    };
  }
  if (seq.design === "planned" && seq.horizon !== null && seq.look >= seq.horizon) {
    const mde = power.mdeHorizon ?? power.mdeNow;
    const detectable =
      mde !== null
        ? `; it could detect ${effectText(scaleOf(metric.type, control.estimate), mde, null, control.estimate).point} or more with 80% power`
        : "";
    const after = seq.pastHorizon ? " Looks after the horizon are not tested." : "";
    return {
      status: "inconclusive",
      text: `No difference found by the planned horizon (${seq.horizon} looks): ${treatment.name} vs ${control.name} on ${metric.name} is ${effect}${detectable}.${after}`,
      morePerVariant: null,
    };
  }
  const more = power.morePerVariant;
  const days =
    power.expectedDays !== null && power.expectedDays > 0
      ? `; at today's traffic a difference that size would be called in about ${count(power.expectedDays)} day${power.expectedDays > 1 ? "s" : ""}`
      : "";
  return {
    status: "inconclusive",
    text: `Not enough data yet: ${treatment.name} vs ${control.name} on ${metric.name} is ${effect}${planned}; about ${count(more ?? Infinity)} more samples per variant needed to detect ${sizeOf(input)}${days}.`,
    morePerVariant: more,
  };
}
