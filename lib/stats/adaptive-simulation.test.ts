import { describe, expect, it } from "vitest";
import { analyseAb, type AbInput, type Design, type Stats } from "./ab-test";
import { trackAndStopWeights } from "./allocation";
import { Accumulator, binomial, rng } from "./test/simulate";

/**
 * A/A experiments under adaptive allocation: three identical variants (10% rate), 900 users a day
 * split by track-and-stop weights (floor 10%) recomputed every day from the data before that day,
 * 30 days. Pooling each arm across days would mix splits chosen from the outcomes; the batched
 * analysis (each day's increment compared on its own, see looks.ts) keeps both designs at 5% per
 * comparison. Seeded; figures are quoted in lib/stats/README.md.
 */
const EXPERIMENTS = 1000;
const DAYS = 30;
const ARMS = ["A", "B", "C"];

function experiment(random: () => number) {
  const acc = ARMS.map(() => new Accumulator());
  const looks: Stats[][] = ARMS.map(() => []);
  let smallest = 1;
  let largest = 0;
  for (let d = 0; d < DAYS; d++) {
    const weights =
      trackAndStopWeights(
        acc.map((a, i) => ({ name: ARMS[i]!, n: a.n, mean: a.n ? a.sum / a.n : 0, variance: a.n ? (a.sum / a.n) * (1 - a.sum / a.n) : 0 })),
        { optimize: "max", floor: 0.1, minSamples: 100 },
      ) ?? new Map(ARMS.map((name) => [name, 1 / 3]));
    acc.forEach((a, i) => {
      const w = weights.get(ARMS[i]!) ?? 0;
      smallest = Math.min(smallest, w);
      largest = Math.max(largest, w);
      const n = Math.round(900 * w);
      a.addCount(n, binomial(random, n, 0.1));
      looks[i]!.push(a.boolean());
    });
  }
  return { looks, smallest, largest };
}

function falsePositives(looks: Stats[][], extra: Partial<AbInput>): number {
  const result = analyseAb({
    metric: { name: "converted", type: "boolean", optimize: "max" },
    control: "A",
    variants: ARMS.map((name, i) => ({ name, stats: looks[i]!.at(-1)!, looks: looks[i]!.slice(0, -1) })),
    ...extra,
  });
  return result.variants.filter((v) => v.comparison?.verdict.status === "winner" || v.comparison?.verdict.status === "loser").length;
}

describe("A/A under adaptive allocation (track-and-stop, 3 variants, 1,000 experiments × 30 days)", () => {
  it("keeps each comparison's false-positive rate at 5% with the batched analysis, in both designs", () => {
    const random = rng(21);
    const designs: Design[] = [{ kind: "open" }, { kind: "planned", looks: DAYS }];
    const hits = { open: 0, planned: 0, pooledOpen: 0 };
    let smallest = 1;
    let largest = 0;
    for (let e = 0; e < EXPERIMENTS; e++) {
      const x = experiment(random);
      smallest = Math.min(smallest, x.smallest);
      largest = Math.max(largest, x.largest);
      for (const design of designs) hits[design.kind] += falsePositives(x.looks, { design, allocation: "adaptive" });
      hits.pooledOpen += falsePositives(x.looks, { design: { kind: "open" }, allocation: "fixed" });
    }
    const comparisons = EXPERIMENTS * (ARMS.length - 1);
    const pct = (x: number) => `${((100 * x) / comparisons).toFixed(1)}%`;
    console.log(
      `adaptive A/A (weights between ${(100 * smallest).toFixed(0)}% and ${(100 * largest).toFixed(0)}%): batched open ${pct(hits.open)}, batched planned ${pct(hits.planned)}, pooled open (ignores the adaptation) ${pct(hits.pooledOpen)}`,
    );
    expect(largest - smallest).toBeGreaterThan(0.3);
    const se = Math.sqrt((0.05 * 0.95) / comparisons);
    expect(hits.open / comparisons).toBeLessThanOrEqual(0.05);
    expect(hits.planned / comparisons).toBeLessThanOrEqual(0.05 + 2.33 * se);
  }, 60_000);
});
