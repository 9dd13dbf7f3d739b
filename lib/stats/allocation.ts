/**
 * Adaptive allocation weights in the manner of TensorZero's track-and-stop: the sampling
 * proportions that identify the best variant fastest (Garivier & Kaufmann 2016, Gaussian arms),
 *   w* = argmin_w  max_{i ≠ L} (σ_i²/w_i + σ_L²/w_L) / (μ_L − μ_i + ε)²,
 * with L the current leader, each weight at least `floor`. Arms far behind the leader get little
 * traffic, close contenders and the leader most of it. TensorZero solves it as a second-order
 * cone program; here, for a given w_L the best a (the max above) is found by bisection, and w_L by
 * golden-section search (the objective is convex in w), which needs no solver library.
 */
export interface ArmStats {
  name: string;
  n: number;
  mean: number;
  variance: number;
}

export interface AllocationOptions {
  optimize: "max" | "min";
  /** Smallest share of any arm, in [0, 1/K]. */
  floor: number;
  /** Gap tolerance: arms within ε of the leader count as good enough (default 0). */
  epsilon?: number;
  /** Below this many observations in any arm, keep the configured weights. */
  minSamples?: number;
}

const VARIANCE_FLOOR = 1e-12;
const GAP2_FLOOR = 1e-12;

/** Shares per arm (summing to 1), or undefined while some arm has fewer than `minSamples` observations. */
export function trackAndStopWeights(arms: ArmStats[], options: AllocationOptions): Map<string, number> | undefined {
  const k = arms.length;
  if (k === 0 || arms.some((a) => a.n < (options.minSamples ?? 1))) return undefined;
  if (k === 1) return new Map([[arms[0]!.name, 1]]);
  const floor = Math.min(Math.max(0, options.floor), 1 / k);
  const sign = options.optimize === "max" ? 1 : -1;
  const means = arms.map((a) => sign * a.mean);
  const vars = arms.map((a) => Math.max(a.variance, VARIANCE_FLOOR));
  const leader = means.indexOf(Math.max(...means));
  const gaps2 = means.map((m) => Math.max((means[leader]! - m + (options.epsilon ?? 0)) ** 2, GAP2_FLOOR));
  const others = arms.map((_, i) => i).filter((i) => i !== leader);

  // For a leader share wl, the smallest a and the other arms' shares that achieve it: the shares
  // fall as a grows, so a is the root of Σ shares(a) = 1 − wl (Newton's method inside a bracket).
  const solve = (wl: number) => {
    const base = vars[leader]! / wl;
    const sharesAt = (a: number) => others.map((i) => Math.max(floor, vars[i]! / Math.max(a * gaps2[i]! - base, 1e-300)));
    const excess = (a: number) => {
      let f = -(1 - wl);
      let df = 0;
      for (const i of others) {
        const room = Math.max(a * gaps2[i]! - base, 1e-300);
        const share = vars[i]! / room;
        if (share > floor) {
          f += share;
          df -= (share * gaps2[i]!) / room;
        } else f += floor;
      }
      return { f, df };
    };
    let lo = Math.max(...others.map((i) => base / gaps2[i]!));
    let hi = lo * 2;
    while (excess(hi).f > 0) hi *= 2;
    let a = hi;
    for (let iter = 0; iter < 100; iter++) {
      const { f, df } = excess(a);
      if (f > 0) lo = a;
      else hi = a;
      let next = df < 0 ? a - f / df : NaN;
      if (!(next > lo && next < hi)) next = (lo + hi) / 2;
      const done = Math.abs(next - a) <= 1e-12 * a || hi - lo <= 1e-12 * hi;
      a = next;
      if (done) break;
    }
    return { a, shares: sharesAt(a) };
  };
  // Golden-section search for the leader's share (one new evaluation per step).
  let lo = floor > 0 ? floor : 1e-9;
  let hi = 1 - (k - 1) * (floor > 0 ? floor : 1e-9);
  if (hi <= lo) return new Map(arms.map((a) => [a.name, 1 / k]));
  const ratio = (Math.sqrt(5) - 1) / 2;
  let m1 = hi - ratio * (hi - lo);
  let m2 = lo + ratio * (hi - lo);
  let f1 = solve(m1).a;
  let f2 = solve(m2).a;
  while (hi - lo > 1e-6) {
    if (f1 <= f2) {
      hi = m2;
      m2 = m1;
      f2 = f1;
      m1 = hi - ratio * (hi - lo);
      f1 = solve(m1).a;
    } else {
      lo = m1;
      m1 = m2;
      f1 = f2;
      m2 = lo + ratio * (hi - lo);
      f2 = solve(m2).a;
    }
  }
  const wl = (lo + hi) / 2;
  const { shares } = solve(wl);
  const weights = new Array<number>(k).fill(0);
  weights[leader] = wl;
  others.forEach((i, j) => (weights[i] = shares[j]!));
  const sum = weights.reduce((s, w) => s + w, 0);
  return new Map(arms.map((a, i) => [a.name, weights[i]! / sum]));
}
