/**
 * Cluster-robust (delta-method) variance of a per-observation mean when observations come in
 * clusters (a multi-turn episode's inferences), and the equivalent independent sample it implies.
 *
 * With G clusters, cluster e holding n_e observations summing to y_e, the mean is the ratio
 * R = Σ y_e / Σ n_e and its delta-method variance is
 *   Var(R) = G/(G−1) · Σ_e (y_e − R n_e)² / (Σ n_e)²
 * (the sandwich of an intercept-only regression with cluster-robust errors; statsmodels'
 * `cov_type="cluster"` gives the same number). When every cluster holds one observation it is the
 * usual s²/n.
 */
export interface ClusterSums {
  /** Number of clusters G. */
  count: number;
  /** Σ y_e²: squares of the clusters' sums. */
  sumSq: number;
  /** Σ n_e y_e. */
  crossSum: number;
  /** Σ n_e². */
  sizeSq: number;
}

export const addClusters = (a: ClusterSums, b: ClusterSums, sign = 1): ClusterSums => ({
  count: a.count + sign * b.count,
  sumSq: a.sumSq + sign * b.sumSq,
  crossSum: a.crossSum + sign * b.crossSum,
  sizeSq: a.sizeSq + sign * b.sizeSq,
});

/** Var(R) for n observations summing to `sum`, in the given clusters; NaN below two clusters. */
export function clusterRobustVariance(n: number, sum: number, c: ClusterSums): number {
  if (c.count < 2 || n <= 0) return NaN;
  const r = sum / n;
  const spread = c.sumSq - 2 * r * c.crossSum + r * r * c.sizeSq;
  return ((c.count / (c.count - 1)) * Math.max(0, spread)) / (n * n);
}

/**
 * The size of an independent sample with the same per-observation variance whose mean would be
 * as precise as the clustered one: n / deff with the design effect deff = Var(R) / (s²/n).
 * `perObservationVariance` is s² as the tests use it (sample variance, or p(1−p) for rates).
 * Without clustering (every cluster a single observation) it is n itself.
 */
export function effectiveSize(n: number, sum: number, perObservationVariance: number, c: ClusterSums | undefined): number {
  if (!c || c.count >= n) return n;
  if (c.count < 2) return c.count;
  const v = clusterRobustVariance(n, sum, c);
  if (!(perObservationVariance > 0) || !(v > 0)) return n;
  return perObservationVariance / v;
}
