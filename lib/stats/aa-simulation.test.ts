import { describe, expect, it } from "vitest";
import { analyseAb, type Design, type Stats } from "./ab-test";
import { twoProportionTest, welchTest } from "./fixed-horizon";
import { Accumulator, binomial, rng } from "./test/simulate";

/**
 * A/A experiments peeked at daily for 30 days: both variants have the same true mean, so every
 * decided verdict is a false positive. Both designs must keep it at (at most) the nominal 5%; the
 * naive fixed-horizon test, peeked the same way, does not. Seeded, deterministic. Figures from
 * this simulation are quoted in lib/stats/README.md.
 */
const EXPERIMENTS = 2000;
const DAYS = 30;
const DESIGNS: Design[] = [{ kind: "open" }, { kind: "planned", looks: DAYS }];

/** Daily cumulative looks of two arms drawn by `day(arm, acc)`. */
function experiment(day: (arm: number, acc: Accumulator) => void, kind: "float" | "boolean"): [Stats[], Stats[]] {
  const acc = [new Accumulator(), new Accumulator()] as const;
  const looks: [Stats[], Stats[]] = [[], []];
  for (let d = 0; d < DAYS; d++) {
    acc.forEach((a, arm) => {
      day(arm, a);
      looks[arm]!.push(kind === "float" ? a.float() : a.boolean());
    });
  }
  return looks;
}

function decided(looks: [Stats[], Stats[]], kind: "float" | "boolean", design: Design): boolean {
  const result = analyseAb({
    metric: { name: "m", type: kind, optimize: "max" },
    control: "A",
    design,
    variants: [
      { name: "A", stats: looks[0].at(-1)!, looks: looks[0].slice(0, -1) },
      { name: "B", stats: looks[1].at(-1)!, looks: looks[1].slice(0, -1) },
    ],
  });
  const status = result.variants[1]?.comparison?.verdict.status;
  return status === "winner" || status === "loser";
}

function naivePeek(looks: [Stats[], Stats[]]): boolean {
  return looks[0].some((c, i) => {
    const t = looks[1][i]!;
    const p =
      c.kind === "float" && t.kind === "float"
        ? welchTest(c, t)?.pValue
        : c.kind === "boolean" && t.kind === "boolean"
          ? twoProportionTest(c, t)?.pValue
          : 1;
    return (p ?? 1) < 0.05;
  });
}

const SCENARIOS = {
  // A score with mean 0.7 and σ 0.2, 100 observations per variant a day.
  float: (random: () => number) => (_arm: number, a: Accumulator) => a.addNormals(random, 100, 0.7, 0.2),
  // A 10% rate with 300 users per variant a day: 9,000 per variant over the 30 days.
  boolean: (random: () => number) => (_arm: number, a: Accumulator) => a.addCount(300, binomial(random, 300, 0.1)),
};

describe("A/A simulation, 2,000 experiments × 30 daily looks", () => {
  it.each([
    ["float", 1],
    ["boolean", 2],
  ] as const)(
    "%s metric: both designs keep false positives at 5%; peeking at a fixed-horizon test does not",
    (kind, seed) => {
      const random = rng(seed);
      const hits = { open: 0, planned: 0, naive: 0 };
      for (let e = 0; e < EXPERIMENTS; e++) {
        const looks = experiment(SCENARIOS[kind](random), kind);
        for (const design of DESIGNS) if (decided(looks, kind, design)) hits[design.kind] += 1;
        if (naivePeek(looks)) hits.naive += 1;
      }
      const rate = (x: number) => x / EXPERIMENTS;
      console.log(
        `A/A ${kind}: open (mSPRT) ${(100 * rate(hits.open)).toFixed(1)}%, planned (30 looks) ${(100 * rate(hits.planned)).toFixed(1)}%, naive daily t/z-test ${(100 * rate(hits.naive)).toFixed(1)}%`,
      );
      // The open design is conservative; the planned one spends exactly α, so its simulated rate
      // scatters around 5% with a standard error of 0.49 points: it must not exceed 5% by more
      // than that scatter allows (one-sided 99%).
      const se = Math.sqrt((0.05 * 0.95) / EXPERIMENTS);
      expect(rate(hits.open)).toBeLessThanOrEqual(0.05);
      expect(rate(hits.planned)).toBeLessThanOrEqual(0.05 + 2.33 * se);
      expect(rate(hits.naive)).toBeGreaterThan(0.15);
    },
    60_000,
  );
});
