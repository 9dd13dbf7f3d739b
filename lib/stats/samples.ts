import { addClusters, effectiveSize, type ClusterSums } from "./clustered";
import { twoProportionTest, welchTest, type Comparison } from "./fixed-horizon";

/**
 * Sufficient statistics of one variant's sample, as ClickHouse aggregates return them, optionally
 * with the sums of its clusters (episodes) when observations are not independent.
 */
export type Stats =
  | { kind: "float"; n: number; mean: number; variance: number; clusters?: ClusterSums }
  | { kind: "boolean"; n: number; successes: number; clusters?: ClusterSums };

export const estimateOf = (s: Stats) => (s.kind === "float" ? s.mean : s.n > 0 ? s.successes / s.n : NaN);
export const sumOf = (s: Stats) => (s.kind === "float" ? s.n * s.mean : s.successes);
/** Per-observation variance as the tests use it: the sample variance, or p(1−p) for rates. */
export const varianceOf = (s: Stats) => (s.kind === "float" ? s.variance : s.n > 0 ? (s.successes / s.n) * (1 - s.successes / s.n) : 0);

/**
 * The independent sample equivalent to a clustered one (same mean, n / design effect
 * observations): every test below then uses the cluster-robust variance. Unchanged without clusters.
 */
export function effective(s: Stats): Stats {
  const n = effectiveSize(s.n, sumOf(s), varianceOf(s), s.clusters);
  if (s.kind === "float") return { kind: "float", n, mean: s.mean, variance: s.variance };
  return { kind: "boolean", n, successes: s.n > 0 ? (s.successes / s.n) * n : 0 };
}

/** Fixed-horizon comparison of two (effective) samples of the same kind. */
export function compare(control: Stats, treatment: Stats, alpha: number): Comparison | undefined {
  if (control.kind === "float" && treatment.kind === "float") return welchTest(control, treatment, alpha);
  if (control.kind === "boolean" && treatment.kind === "boolean") return twoProportionTest(control, treatment, alpha);
  return undefined;
}

/**
 * The difference treatment − control and the variance the tests give it (Welch's unpooled one
 * for means, the pooled one of the two-proportion test for rates), without the tests' p-values
 * and intervals: what the sequential designs need at every look. Undefined below two observations.
 */
export function difference(control: Stats, treatment: Stats): { diff: number; variance: number } | undefined {
  if (control.kind === "float" && treatment.kind === "float") {
    if (control.n < 2 || treatment.n < 2) return undefined;
    return {
      diff: treatment.mean - control.mean,
      variance: Math.max(0, control.variance) / control.n + Math.max(0, treatment.variance) / treatment.n,
    };
  }
  if (control.kind === "boolean" && treatment.kind === "boolean") {
    if (control.n <= 0 || treatment.n <= 0) return undefined;
    const pooled = (control.successes + treatment.successes) / (control.n + treatment.n);
    return {
      diff: treatment.successes / treatment.n - control.successes / control.n,
      variance: pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n),
    };
  }
  return undefined;
}

/** What was added between two cumulative looks (later − earlier), from their sums. */
export function increment(later: Stats, earlier: Stats | undefined): Stats {
  if (!earlier) return later;
  const n = later.n - earlier.n;
  const clusters = later.clusters && earlier.clusters ? addClusters(later.clusters, earlier.clusters, -1) : later.clusters;
  if (later.kind === "boolean" || earlier.kind === "boolean") {
    return { kind: "boolean", n, successes: sumOf(later) - sumOf(earlier), clusters };
  }
  const sum = later.n * later.mean - earlier.n * earlier.mean;
  const sumSq =
    (later.n - 1) * later.variance + later.n * later.mean ** 2 - ((earlier.n - 1) * earlier.variance + earlier.n * earlier.mean ** 2);
  const mean = n > 0 ? sum / n : 0;
  const variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
  return { kind: "float", n, mean, variance, clusters };
}
