import { normalQuantile, normalTail } from "./distributions";

/**
 * Group-sequential boundaries by alpha spending (Lan & DeMets 1983) with the O'Brien–Fleming-type
 * spending function, computed exactly by recursive numerical integration of the joint density of
 * the look statistics (Armitage, McPherson & Rowe 1969; Jennison & Turnbull 2000, chapter 19: the
 * grid and Simpson weights below are theirs, as in gsDesign's and ldbounds' C code).
 *
 * Z_k is the z-statistic at look k with information I_k; under drift θ the score S_k = Z_k √I_k is
 * a Brownian motion with drift θ observed at I_1 < I_2 < …, so S_k − S_{k−1} ~ N(θ ΔI, ΔI). The
 * test is two-sided and symmetric: it rejects at the first look with |Z_k| ≥ c_k.
 */

/** O'Brien–Fleming-type spending on one side (gsDesign `sfLDOF`): α(t) = 2 − 2Φ(z_{1−α/2} / √t). */
export function obrienFlemingSpending(t: number, alpha: number): number {
  if (t <= 0) return 0;
  if (t >= 1) return alpha;
  return 2 * normalTail(normalQuantile(1 - alpha / 2) / Math.sqrt(t));
}

/**
 * Grid size factor of Jennison & Turnbull (gsDesign uses 18). Their grid is spaced 3/(4r) in z
 * around the centre, which must stay well below the spread of the narrowest increment between two
 * looks, √(ΔI/I) in z: r grows with the number of looks (13 for 30 equal daily looks, 22 for 90)
 * so that the α actually spent stays within about 1e-5 of the nominal one (tested).
 */
export function gridFactor(information: number[]): number {
  let narrowest = 1;
  for (let k = 1; k < information.length; k++) {
    narrowest = Math.min(narrowest, Math.sqrt((information[k]! - information[k - 1]!) / information[k]!));
  }
  return Math.min(48, Math.max(12, Math.ceil(2.2 / narrowest)));
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const phi = (x: number) => Math.exp(-0.5 * x * x) / SQRT_2PI;
/** Kernel terms beyond this many standard deviations are below 1e-17 of the peak: skipped. */
const REACH = 9;

interface Grid {
  z: Float64Array;
  w: Float64Array;
}

/** Jennison & Turnbull's grid on the z-scale around `mean`, cut to (lo, hi), with Simpson weights. */
function grid(mean: number, lo: number, hi: number, r: number): Grid {
  const x: number[] = [];
  for (let i = 1; i <= 6 * r - 1; i++) {
    const v =
      i < r ? mean - 3 - 4 * Math.log(r / i) : i <= 5 * r ? mean - 3 + (3 * (i - r)) / (2 * r) : mean + 3 + 4 * Math.log(r / (6 * r - i));
    x.push(v);
  }
  const kept = x.filter((v) => v > lo && v < hi);
  if (lo > x[0]!) kept.unshift(lo);
  if (hi < x[x.length - 1]!) kept.push(hi);
  if (kept.length < 2) kept.splice(0, kept.length, Math.max(lo, mean - 1e-9), Math.min(hi, mean + 1e-9));
  const m = 2 * kept.length - 1;
  const z = new Float64Array(m);
  const w = new Float64Array(m);
  for (let i = 0; i < kept.length; i++) z[2 * i] = kept[i]!;
  for (let i = 0; i < kept.length - 1; i++) {
    const d = kept[i + 1]! - kept[i]!;
    z[2 * i + 1] = (kept[i]! + kept[i + 1]!) / 2;
    w[2 * i + 1] = (4 * d) / 6;
    w[2 * i] = w[2 * i]! + d / 6;
    w[2 * i + 2] = d / 6;
  }
  return { z, w };
}

/**
 * The sub-density of Z_k on a grid, for paths that have not stopped before look k, pre-multiplied
 * by the grid's weights: Σ h[i] is P(still running at look k), Σ h[i] g(z[i]) integrates g.
 */
interface Stage {
  z: Float64Array;
  h: Float64Array;
  info: number;
}

function firstStage(info: number, theta: number, c: number, r: number): Stage {
  const mean = theta * Math.sqrt(info);
  const g = grid(mean, -c, c, r);
  const h = new Float64Array(g.z.length);
  for (let i = 0; i < h.length; i++) h[i] = g.w[i]! * phi(g.z[i]! - mean);
  return { z: g.z, h, info };
}

function nextStage(prev: Stage, info: number, theta: number, c: number, r: number): Stage {
  const delta = info - prev.info;
  const sd = Math.sqrt(delta);
  const sqrtI = Math.sqrt(info);
  const g = grid(theta * sqrtI, -c, c, r);
  const h = new Float64Array(g.z.length);
  const shift = shifted(prev, theta * delta);
  const scale = sqrtI / sd / SQRT_2PI;
  // Grids are sorted, so the previous points within REACH sd of each new point form a sliding window.
  let from = 0;
  let to = 0;
  for (let j = 0; j < h.length; j++) {
    const s = g.z[j]! * sqrtI;
    while (from < shift.length && shift[from]! < s - REACH * sd) from++;
    while (to < shift.length && shift[to]! <= s + REACH * sd) to++;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const u = (s - shift[i]!) / sd;
      sum += prev.h[i]! * Math.exp(-0.5 * u * u);
    }
    h[j] = g.w[j]! * sum * scale;
  }
  return { z: g.z, h, info };
}

/** The previous look's grid on the score scale, moved by the drift of the increment. */
function shifted(prev: Stage, drift: number): Float64Array {
  const sqrtPrev = Math.sqrt(prev.info);
  const out = new Float64Array(prev.z.length);
  for (let i = 0; i < out.length; i++) out[i] = prev.z[i]! * sqrtPrev + drift;
  return out;
}

/** P(Z_k ≥ c, not stopped before) and the derivative of that probability in c. */
function upperExit(prev: Stage | null, info: number, theta: number, c: number): { p: number; dp: number } {
  if (!prev) {
    const u = c - theta * Math.sqrt(info);
    return { p: normalTail(u), dp: -phi(u) };
  }
  const delta = info - prev.info;
  const sd = Math.sqrt(delta);
  const shift = shifted(prev, theta * delta);
  const bound = c * Math.sqrt(info);
  let p = 0;
  let dp = 0;
  for (let i = 0; i < shift.length; i++) {
    const u = (bound - shift[i]!) / sd;
    if (u > REACH) continue;
    if (u < -REACH) {
      p += prev.h[i]!;
      continue;
    }
    p += prev.h[i]! * normalTail(u);
    dp -= prev.h[i]! * phi(u);
  }
  return { p, dp: (dp * Math.sqrt(info)) / sd };
}

/** P(Z_k ≤ −c, not stopped before). */
function lowerExit(prev: Stage | null, info: number, theta: number, c: number): number {
  if (!prev) return normalTail(c + theta * Math.sqrt(info));
  const delta = info - prev.info;
  const sd = Math.sqrt(delta);
  const shift = shifted(prev, theta * delta);
  const bound = -c * Math.sqrt(info);
  let p = 0;
  for (let i = 0; i < shift.length; i++) {
    const u = (shift[i]! - bound) / sd;
    if (u > REACH) break;
    p += prev.h[i]! * (u < -REACH ? 1 : normalTail(u));
  }
  return p;
}

/** The c with P_0(Z_k ≥ c, not stopped before) = target, by Newton's method on the log of the probability. */
function solveBoundary(prev: Stage | null, info: number, target: number): number {
  if (!(target > 0)) return Infinity;
  if (!prev) return -normalQuantile(target);
  let c = -normalQuantile(target);
  const logTarget = Math.log(target);
  let lo = 0;
  let hi = Infinity;
  for (let iter = 0; iter < 60; iter++) {
    const { p, dp } = upperExit(prev, info, 0, c);
    if (p > target) lo = c;
    else hi = c;
    const f = Math.log(p) - logTarget;
    if (Math.abs(f) < 1e-10) return c;
    let next = p > 0 && dp < 0 ? c - f / (dp / p) : NaN;
    if (!(next > lo && next < hi)) next = Number.isFinite(hi) ? (lo + hi) / 2 : Math.max(2 * c, c + 1);
    if (Math.abs(next - c) < 1e-12) return next;
    c = next;
  }
  return c;
}

export interface SpendingDesign {
  /** Information at each look (any scale: only ratios matter), increasing. */
  information: number[];
  /** Fraction of the planned horizon at each look, in (0, 1]: where the spending function is read. */
  fractions: number[];
  /** Two-sided level; α/2 is spent on each side. */
  alpha: number;
  r?: number;
}

// Pages and simulations ask for the same designs again and again (equal traffic gives equal
// information ratios): a small memo of this pure function, keyed by its exact inputs.
const memo = new Map<string, number[]>();
const MEMO_SIZE = 256;

/**
 * Critical values c_k on the z-scale: P_0(first |Z| crossing at look k) = 2 (α(t_k) − α(t_{k−1}))
 * with α(·) the one-sided O'Brien–Fleming-type spending function at level α/2. A look that spends
 * nothing gets c_k = ∞. Each c_k depends on the looks up to k only, so adding looks never moves
 * earlier boundaries.
 */
export function spendingBoundaries(design: SpendingDesign): number[] {
  design.information.forEach((info, k) => {
    if (!(info > (design.information[k - 1] ?? 0))) throw new Error(`information must increase from look to look (look ${k + 1}: ${info})`);
  });
  const r = design.r ?? gridFactor(design.information);
  const key = JSON.stringify([design.information, design.fractions, design.alpha, r]);
  const known = memo.get(key);
  if (known) return [...known];
  const half = design.alpha / 2;
  const bounds: number[] = [];
  let prev: Stage | null = null;
  let spent = 0;
  for (const [k, info] of design.information.entries()) {
    const cumulative = obrienFlemingSpending(design.fractions[k] ?? 1, half);
    const c = solveBoundary(prev, info, cumulative - spent);
    spent = Math.max(spent, cumulative);
    bounds.push(c);
    prev = prev ? nextStage(prev, info, 0, c, r) : firstStage(info, 0, c, r);
  }
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value ?? "");
  memo.set(key, bounds);
  return [...bounds];
}

/**
 * Probabilities of stopping at each look (above, below) under drift θ, for the given critical
 * values: power, the expected stopping look, and checks of the spent α. `start` conditions on an
 * observed score S = start.score at information start.info (the looks must all come after it).
 */
export function exitProbabilities(
  bounds: number[],
  information: number[],
  theta: number,
  options: { r?: number; start?: { info: number; score: number } } = {},
): { upper: number[]; lower: number[] } {
  const r = options.r ?? gridFactor(options.start ? [options.start.info, ...information] : information);
  const upper: number[] = [];
  const lower: number[] = [];
  let prev: Stage | null = options.start
    ? { z: Float64Array.of(options.start.score / Math.sqrt(options.start.info)), h: Float64Array.of(1), info: options.start.info }
    : null;
  for (const [k, info] of information.entries()) {
    const c = bounds[k] ?? Infinity;
    upper.push(Number.isFinite(c) ? upperExit(prev, info, theta, c).p : 0);
    lower.push(Number.isFinite(c) ? lowerExit(prev, info, theta, c) : 0);
    prev = prev ? nextStage(prev, info, theta, c, r) : firstStage(info, theta, c, r);
  }
  return { upper, lower };
}

const driftMemo = new Map<string, number>();

/**
 * The standardised drift η = θ √I_N at which a design of `looks` equally spaced looks rejects
 * with probability `power` by its last look: the planned design's effect at 80% power is then
 * η times the standard error the horizon will have. Found by the secant method on the exact power.
 */
export function plannedDrift(looks: number, alpha: number, power: number): number {
  const key = `${looks}:${alpha}:${power}`;
  const known = driftMemo.get(key);
  if (known !== undefined) return known;
  const information = Array.from({ length: looks }, (_, i) => (i + 1) / looks);
  const bounds = spendingBoundaries({ information, fractions: information, alpha });
  const powerAt = (eta: number) => {
    const { upper, lower } = exitProbabilities(bounds, information, eta);
    return upper.reduce((a, b) => a + b, 0) + lower.reduce((a, b) => a + b, 0) - power;
  };
  let x0 = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  let x1 = x0 * 1.05;
  let f0 = powerAt(x0);
  let f1 = powerAt(x1);
  for (let i = 0; i < 30 && Math.abs(f1) > 1e-9 && f1 !== f0; i++) {
    const x2 = x1 - (f1 * (x1 - x0)) / (f1 - f0);
    x0 = x1;
    f0 = f1;
    x1 = x2;
    f1 = powerAt(x1);
  }
  driftMemo.set(key, x1);
  return x1;
}
