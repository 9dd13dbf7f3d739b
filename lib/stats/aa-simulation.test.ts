import { describe, expect, it } from "vitest";
import { analyseAb, type Stats } from "./ab-test";
import { twoProportionTest, welchTest } from "./fixed-horizon";

/**
 * A/A experiments peeked at daily for 30 days: both variants have the same true mean, so every
 * "significant" day is a false positive. The sequential verdict must stay near (at most) the
 * nominal 5%; the naive fixed-horizon test, peeked the same way, does not. Seeded, deterministic.
 * Figures from this simulation are quoted in lib/stats/README.md.
 */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EXPERIMENTS = 2000;
const DAYS = 30;
const PER_DAY = 100;

interface Acc {
  n: number;
  sum: number;
  sumSq: number;
}
const toFloat = (a: Acc): Stats => ({ kind: "float", n: a.n, mean: a.sum / a.n, variance: (a.sumSq - (a.sum * a.sum) / a.n) / (a.n - 1) });
const toBool = (a: Acc): Stats => ({ kind: "boolean", n: a.n, successes: a.sum });

function simulate(kind: "float" | "boolean", seed: number, { experiments = EXPERIMENTS, lift = 0 } = {}) {
  const random = rng(seed);
  const draw = (arm: number) =>
    kind === "float"
      ? 0.7 + arm * lift + 0.2 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
      : random() < 0.3 + arm * lift
        ? 1
        : 0;
  let sequentialHits = 0;
  let naiveHits = 0;
  for (let e = 0; e < experiments; e++) {
    const acc: [Acc, Acc] = [
      { n: 0, sum: 0, sumSq: 0 },
      { n: 0, sum: 0, sumSq: 0 },
    ];
    const looks: [Stats[], Stats[]] = [[], []];
    let naive = false;
    for (let day = 0; day < DAYS; day++) {
      for (const [arm, a] of acc.entries()) {
        for (let i = 0; i < PER_DAY; i++) {
          const x = draw(arm);
          a.n += 1;
          a.sum += x;
          a.sumSq += x * x;
        }
      }
      const [c, t] = acc.map(kind === "float" ? toFloat : toBool) as [Stats, Stats];
      looks[0].push(c);
      looks[1].push(t);
      const p =
        c.kind === "float" && t.kind === "float"
          ? welchTest(c, t)?.pValue
          : c.kind === "boolean" && t.kind === "boolean"
            ? twoProportionTest(c, t)?.pValue
            : 1;
      if ((p ?? 1) < 0.05) naive = true;
    }
    const result = analyseAb({
      metric: { name: "m", type: kind, optimize: "max" },
      control: "A",
      variants: [
        { name: "A", stats: looks[0].at(-1) as Stats, looks: looks[0].slice(0, -1) },
        { name: "B", stats: looks[1].at(-1) as Stats, looks: looks[1].slice(0, -1) },
      ],
    });
    const status = result.variants[1]?.comparison?.verdict.status;
    if (status === "winner" || status === "loser") sequentialHits += 1;
    if (naive) naiveHits += 1;
  }
  return { sequential: sequentialHits / experiments, naive: naiveHits / experiments };
}

describe.concurrent("A/A simulation, 2,000 experiments × 30 daily looks × 100 samples per variant per day", () => {
  // Standard error of a 5% rate over 2,000 experiments is about 0.5 points; allow three of them.
  it.each([
    ["float", 1],
    ["boolean", 2],
  ] as const)(
    "%s metric: the sequential verdict keeps false positives at or below about 5%",
    (kind, seed) => {
      const rates = simulate(kind, seed);
      console.log(
        `A/A ${kind}: sequential false-positive rate ${(rates.sequential * 100).toFixed(1)}%, naive daily t/z-test ${(rates.naive * 100).toFixed(1)}%`,
      );
      expect(rates.sequential).toBeLessThanOrEqual(0.065);
      expect(rates.naive).toBeGreaterThan(0.15);
    },
    60_000,
  );
});

describe("the same design with a real effect of a tenth of a standard deviation (0.70 vs 0.72, σ = 0.2)", () => {
  it("is found by the sequential verdict within the 30 days in most experiments", () => {
    const rates = simulate("float", 3, { experiments: 500, lift: 0.02 });
    console.log(`A/B float, true lift +0.02: sequential power ${(rates.sequential * 100).toFixed(1)}% within 30 days`);
    expect(rates.sequential).toBeGreaterThan(0.6);
  }, 60_000);
});
