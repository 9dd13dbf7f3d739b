import { normalQuantile } from "./distributions";
import type { Design, SequentialResult } from "./designs";
import { exitProbabilities, plannedDrift, spendingBoundaries } from "./group-sequential";
import { halfWidth } from "./sequential";

/**
 * Power and planning figures of one comparison under its design, at today's traffic.
 *
 * Each arm is described by its observations so far, the variance of its mean now (cluster-robust
 * when clustered) and its observations per day; the variance of the difference after d more days
 * is then V(d) = Σ_arms v·n / (n + d·perDay). Figures are for `power` (80%) unless said otherwise:
 * - mdeNow: the effect the test would detect now. open: h(V) + z_power √V, with h the always-valid
 *   half-width (a lower bound on the power, earlier looks could only have helped); planned:
 *   (c_k + z_power) √V with c_k the current boundary.
 * - mdeHorizon (planned): η √V(horizon), η the exact drift at which the design reaches the power.
 * - neededPerVariant: samples per variant (equal split) the design needs for the planning effect.
 * - expectedDays: planned, the expected number of days to a decision (a boundary crossed, or the
 *   horizon) given the current statistic, from the exact exit probabilities; open, the day the
 *   always-valid half-width reaches the planning effect (about when an estimate that size decides).
 */
export interface Arm {
  n: number;
  varianceOfMean: number;
  perDay: number;
}

export interface PowerInput {
  design: Design;
  alpha: number;
  power: number;
  arms: [Arm, Arm];
  /** The effect to plan for (absolute, in the metric's units). */
  effect: number;
  tau2: number;
  sequential: SequentialResult;
  /** Adaptive allocation: planned designs count information in daily batches. */
  adaptive: boolean;
}

export interface PowerResult {
  effect: number;
  mdeNow: number | null;
  mdeHorizon: number | null;
  horizonPerVariant: number | null;
  neededPerVariant: number | null;
  morePerVariant: number | null;
  perDay: number | null;
  expectedDays: number | null;
  /** planned: probability of a decision by the horizon if the effect is `effect`. */
  decisionProbability: number | null;
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

export function planPower(input: PowerInput): PowerResult {
  const { arms, alpha, power, effect, sequential } = input;
  const zPower = normalQuantile(power);
  const w = arms.map((a) => a.varianceOfMean * a.n);
  const perUnit = w[0]! + w[1]!;
  const varianceAfter = (days: number) => arms.reduce((s, a, i) => s + w[i]! / Math.max(a.n + days * a.perDay, 1e-12), 0);
  const vNow = varianceAfter(0);
  const fewest = Math.min(arms[0].n, arms[1].n);
  const perDay = Math.min(arms[0].perDay, arms[1].perDay);
  const base: PowerResult = {
    effect,
    mdeNow: null,
    mdeHorizon: null,
    horizonPerVariant: null,
    neededPerVariant: null,
    morePerVariant: null,
    perDay: perDay > 0 ? perDay : null,
    expectedDays: null,
    decisionProbability: null,
  };
  if (!(vNow > 0) || !(perUnit > 0)) return base;
  const days = (enough: (v: number) => boolean) => {
    if (enough(vNow)) return 0;
    if (!(perDay > 0) || !enough(varianceAfter(36_500))) return null;
    let lo = 0;
    let hi = 36_500;
    while (hi - lo > 0.01) {
      const mid = (lo + hi) / 2;
      if (enough(varianceAfter(mid))) hi = mid;
      else lo = mid;
    }
    return hi;
  };

  if (input.design.kind === "open") {
    const mde = (v: number) => halfWidth(v, input.tau2, alpha) + zPower * Math.sqrt(v);
    const needed = smallestN((n) => mde(perUnit / n) <= effect);
    return {
      ...base,
      mdeNow: mde(vNow),
      neededPerVariant: finite(needed),
      morePerVariant: sequential.decided ? 0 : finite(Math.max(0, needed - fewest)),
      expectedDays: sequential.decided ? 0 : days((v) => halfWidth(v, input.tau2, alpha) <= effect),
    };
  }

  const horizon = input.design.looks;
  const eta = plannedDrift(horizon, alpha, power);
  const remaining = Math.max(0, horizon - sequential.look);
  const latest = sequential.path.at(-1);
  const needed = Math.ceil((perUnit * eta * eta) / (effect * effect));
  const result: PowerResult = {
    ...base,
    mdeNow: latest ? (latest.boundary + zPower) * Math.sqrt(vNow) : null,
    mdeHorizon: eta * Math.sqrt(varianceAfter(remaining)),
    horizonPerVariant: Math.round(Math.min(...arms.map((a) => a.n + remaining * a.perDay))),
    neededPerVariant: finite(needed),
    morePerVariant: sequential.decided ? 0 : sequential.pastHorizon || remaining === 0 ? null : Math.max(0, needed - fewest),
  };
  if (sequential.decided) return { ...result, expectedDays: 0, decisionProbability: 1 };
  if (remaining === 0 || !latest || !(perDay > 0)) return result;
  return { ...result, ...projectPlanned(input, latest, remaining, vNow) };
}

/** Expected days to a decision and its probability by the horizon, given the current z. */
function projectPlanned(input: PowerInput, latest: SequentialResult["path"][number], remaining: number, vNow: number) {
  const { arms, sequential, effect, alpha } = input;
  const horizon = sequential.horizon ?? sequential.look;
  // Future information per day: one batch a day (adaptive), else the comparison's effective size.
  const scale = latest.information / (1 / (1 / arms[0].n + 1 / arms[1].n));
  const future = Array.from({ length: remaining }, (_, d) =>
    input.adaptive
      ? latest.information + d + 1
      : scale / (1 / (arms[0].n + (d + 1) * arms[0].perDay) + 1 / (arms[1].n + (d + 1) * arms[1].perDay)),
  );
  const past = sequential.path;
  const bounds = spendingBoundaries({
    information: [...past.map((p) => p.information), ...future],
    fractions: [...past.map((p) => p.look / horizon), ...future.map((_, d) => (sequential.look + d + 1) / horizon)],
    alpha,
  }).slice(past.length);
  // Drift per unit of information: the effect over the standard error of one unit.
  const perBatch = arms.reduce((s, a) => s + (a.varianceOfMean * a.n) / Math.max(a.perDay, 1e-12), 0);
  const theta = input.adaptive ? effect / Math.sqrt(perBatch) : effect / Math.sqrt(vNow * latest.information);
  const exit = exitProbabilities(bounds, future, theta, {
    start: { info: latest.information, score: latest.z * Math.sqrt(latest.information) },
  });
  let decided = 0;
  let expected = 0;
  for (let d = 0; d < remaining; d++) {
    const p = (exit.upper[d] ?? 0) + (exit.lower[d] ?? 0);
    decided += p;
    expected += p * (d + 1);
  }
  return { expectedDays: expected + (1 - decided) * remaining, decisionProbability: decided };
}

/** Smallest integer n ≥ 2 with `enough(n)`, or Infinity. */
function smallestN(enough: (n: number) => boolean): number {
  let hi = 2;
  while (!enough(hi)) {
    hi *= 2;
    if (hi > 1e12) return Infinity;
  }
  let lo = hi / 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (enough(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
