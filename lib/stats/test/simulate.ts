import type { ClusterSums } from "../clustered";
import type { Stats } from "../samples";

/** Seeded random numbers and samplers for the simulations of lib/stats (tests only). */

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const normal = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** A Gamma(shape, 1) draw (Marsaglia & Tsang 2000), shape ≥ 1. */
export function gamma(random: () => number, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

const tables = new Map<string, Float64Array>();

/** An exact Binomial(n, p) draw: inversion of the CDF (tabulated once per n and p) with one uniform. */
export function binomial(random: () => number, n: number, p: number): number {
  if (n <= 0) return 0;
  const key = `${n}:${p}`;
  let cdf = tables.get(key);
  if (!cdf) {
    cdf = new Float64Array(n + 1);
    let pmf = (1 - p) ** n;
    let total = 0;
    for (let k = 0; k <= n; k++) {
      total += pmf;
      cdf[k] = total;
      pmf *= ((n - k) / (k + 1)) * (p / (1 - p));
    }
    tables.set(key, cdf);
  }
  const u = random() * cdf[n]!;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Running sums of one arm: observations, and clusters when observations come in episodes. */
export class Accumulator {
  n = 0;
  sum = 0;
  sumSq = 0;
  clusters: ClusterSums = { count: 0, sumSq: 0, crossSum: 0, sizeSq: 0 };

  add(values: number[]): void {
    let y = 0;
    for (const v of values) {
      this.n += 1;
      this.sum += v;
      this.sumSq += v * v;
      y += v;
    }
    this.clusters.count += 1;
    this.clusters.sumSq += y * y;
    this.clusters.crossSum += values.length * y;
    this.clusters.sizeSq += values.length ** 2;
  }

  /**
   * n normal observations N(mean, sd²) at once, by their sufficient statistics: the sample mean is
   * N(mean, sd²/n) and, independently, the sum of squared deviations is sd² χ²(n − 1).
   */
  addNormals(random: () => number, n: number, mean: number, sd: number): void {
    const m = mean + (sd / Math.sqrt(n)) * normal(random);
    const ss = n > 1 ? sd * sd * 2 * gamma(random, (n - 1) / 2) : 0;
    this.n += n;
    this.sum += n * m;
    this.sumSq += ss + n * m * m;
  }

  addCount(n: number, successes: number): void {
    this.n += n;
    this.sum += successes;
    this.sumSq += successes;
  }

  float(clustered = false): Stats {
    const mean = this.sum / this.n;
    const variance = this.n > 1 ? Math.max(0, (this.sumSq - this.n * mean * mean) / (this.n - 1)) : 0;
    return { kind: "float", n: this.n, mean, variance, ...(clustered ? { clusters: { ...this.clusters } } : {}) };
  }

  boolean(clustered = false): Stats {
    return { kind: "boolean", n: this.n, successes: this.sum, ...(clustered ? { clusters: { ...this.clusters } } : {}) };
  }
}
