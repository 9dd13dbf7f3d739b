import { describe, expect, it } from "vitest";
import { analyseAb } from "./ab-test";
import { clusterRobustVariance, effectiveSize } from "./clustered";
import { meanInterval } from "./fixed-horizon";
import { effective } from "./samples";
import { Accumulator, normal, rng } from "./test/simulate";

/** Sums of (values, cluster ids) as lib/analytics' query returns them. */
function sums(values: number[], groups: number[]) {
  const acc = new Accumulator();
  const byGroup = new Map<number, number[]>();
  values.forEach((v, i) => byGroup.set(groups[i]!, [...(byGroup.get(groups[i]!) ?? []), v]));
  for (const members of byGroup.values()) acc.add(members);
  return acc;
}

describe("cluster-robust variance of a mean", () => {
  // statsmodels 0.15: sm.OLS(y, ones).fit(cov_type="cluster", cov_kwds={"groups": g}).cov_params()
  it("equals statsmodels' cluster-robust variance (float scores in 12 episodes)", () => {
    const y = [
      0.66, 0.34, 0.43, 0.32, 0.89, 0.52, 0.51, 0.49, 0.43, 0.23, 0.41, 0.54, 0.08, 0.2, 0.09, 0.42, 0.27, 0.25, 0.04, 0.44, 0.61, 0.28,
      0.49, 0.39, 0.42, 0.8, 0.35, 0.75, 0.84, 0.89, 0.37, 0.63,
    ];
    const g = [0, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 4, 5, 5, 5, 5, 6, 6, 7, 7, 8, 8, 8, 8, 8, 8, 9, 10, 10, 10, 11, 11];
    const acc = sums(y, g);
    expect(acc.sum / acc.n).toBeCloseTo(0.449375, 12);
    expect(clusterRobustVariance(acc.n, acc.sum, acc.clusters)).toBeCloseTo(0.0033380135276100875, 15);
    // The independent variance statsmodels' plain OLS gives: s²/n = 0.0015864793346774195.
    const stats = acc.float(true);
    expect(stats.kind === "float" && stats.variance / stats.n).toBeCloseTo(0.0015864793346774195, 15);
  });

  it("equals statsmodels' cluster-robust variance (a boolean metric in 18 episodes)", () => {
    const y = [1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1];
    const g = [0, 0, 0, 1, 1, 2, 3, 3, 3, 3, 4, 5, 5, 6, 7, 7, 7, 8, 8, 9, 10, 10, 10, 11, 12, 12, 13, 14, 14, 14, 15, 16, 16, 17, 17, 17];
    const acc = sums(y, g);
    expect(clusterRobustVariance(acc.n, acc.sum, acc.clusters)).toBeCloseTo(0.00615266682804809, 15);
  });

  it("is the plain variance when every episode has one observation, and needs two clusters", () => {
    const values = [0.2, 0.5, 0.9, 0.4];
    const acc = sums(values, [0, 1, 2, 3]);
    expect(effectiveSize(acc.n, acc.sum, 1, acc.clusters)).toBe(4);
    const s = acc.float(true);
    expect(effective(s)).toEqual({
      kind: "float",
      n: 4,
      mean: s.kind === "float" ? s.mean : 0,
      variance: s.kind === "float" ? s.variance : 0,
    });
    expect(Number.isNaN(clusterRobustVariance(3, 1, { count: 1, sumSq: 1, crossSum: 3, sizeSq: 9 }))).toBe(true);
  });
});

/**
 * Coverage on correlated episodes: 300 episodes per variant of 1 to 6 turns, each turn's score
 * 0.6 + u + e with an episode effect u ~ N(0, 0.3²) and e ~ N(0, 0.2²) (within-episode correlation
 * 0.69). The 95% interval of the mean and of the difference should contain the truth 95% of the
 * time: the cluster-robust ones do, the ones that treat turns as independent do not.
 */
describe("coverage of 95% intervals on correlated episodes (2,000 experiments)", () => {
  it("is at least 94% with episode-clustered variance, and well below with independent variance", () => {
    const random = rng(31);
    const covered = { clusteredMean: 0, independentMean: 0, clusteredDiff: 0, independentDiff: 0 };
    const experiments = 2000;
    for (let e = 0; e < experiments; e++) {
      const arms = [new Accumulator(), new Accumulator()];
      for (const acc of arms) {
        for (let episode = 0; episode < 300; episode++) {
          const u = 0.3 * normal(random);
          const turns = 1 + Math.floor(random() * 6);
          acc.add(Array.from({ length: turns }, () => 0.6 + u + 0.2 * normal(random)));
        }
      }
      const clustered = effective(arms[0]!.float(true));
      const independent = arms[0]!.float(false);
      const inside = (ci: [number, number] | undefined, truth: number) => (ci && ci[0] <= truth && truth <= ci[1] ? 1 : 0);
      if (clustered.kind === "float") covered.clusteredMean += inside(meanInterval(clustered), 0.6);
      if (independent.kind === "float") covered.independentMean += inside(meanInterval(independent), 0.6);
      const diff = (clusteredStats: boolean) =>
        analyseAb({
          metric: { name: "score", type: "float", optimize: "max" },
          control: "A",
          variants: [
            { name: "A", stats: arms[0]!.float(clusteredStats) },
            { name: "B", stats: arms[1]!.float(clusteredStats) },
          ],
        }).variants[1]?.comparison?.diffCi;
      covered.clusteredDiff += inside(diff(true), 0);
      covered.independentDiff += inside(diff(false), 0);
    }
    const pct = (x: number) => `${((100 * x) / experiments).toFixed(1)}%`;
    console.log(
      `coverage of 95% intervals: mean clustered ${pct(covered.clusteredMean)} vs independent ${pct(covered.independentMean)}; difference clustered ${pct(covered.clusteredDiff)} vs independent ${pct(covered.independentDiff)}`,
    );
    expect(covered.clusteredMean / experiments).toBeGreaterThanOrEqual(0.94);
    expect(covered.clusteredDiff / experiments).toBeGreaterThanOrEqual(0.94);
    expect(covered.independentMean / experiments).toBeLessThan(0.94);
    expect(covered.independentDiff / experiments).toBeLessThan(0.94);
  }, 60_000);
});
