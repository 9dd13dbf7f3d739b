import { describe, expect, it } from "vitest";
import { cohenKappa, fieldAgreement, fleissKappa } from "./agreement";

const repeat = <T>(value: T, times: number): T[] => Array.from({ length: times }, () => value);

describe("Cohen's kappa", () => {
  it("matches the textbook example of 50 grant proposals (Yes/Yes 20, Yes/No 5, No/Yes 10, No/No 15): κ = 0.4", () => {
    const pairs: [string, string][] = [
      ...repeat(["yes", "yes"], 20),
      ...repeat(["yes", "no"], 5),
      ...repeat(["no", "yes"], 10),
      ...repeat(["no", "no"], 15),
    ] as [string, string][];
    const k = cohenKappa(pairs);
    expect(k.observed).toBeCloseTo(0.7, 12);
    expect(k.expected).toBeCloseTo(0.5, 12);
    expect(k.kappa).toBeCloseTo(0.4, 12);
  });

  it("gives κ = 0.492 on a 3-category table with p_o = 0.70 and p_e = 0.41 (the figures of Cohen 1960's example)", () => {
    // 200 subjects, judge A in rows and judge B in columns; marginals .60/.30/.10 and .50/.30/.20.
    const table = [
      [88, 14, 18],
      [10, 40, 10],
      [2, 6, 12],
    ];
    const pairs: [number, number][] = [];
    table.forEach((row, i) => row.forEach((count, j) => pairs.push(...repeat<[number, number]>([i, j], count))));
    const k = cohenKappa(pairs);
    expect(k.observed).toBeCloseTo(0.7, 12);
    expect(k.expected).toBeCloseTo(0.41, 12);
    expect(k.kappa).toBeCloseTo(0.4915, 4);
  });

  it("is 1 for perfect agreement and undefined when every rating is the same category", () => {
    expect(
      cohenKappa([
        ["a", "a"],
        ["b", "b"],
      ]).kappa,
    ).toBe(1);
    expect(
      cohenKappa([
        ["a", "a"],
        ["a", "a"],
      ]).kappa,
    ).toBeNull();
  });
});

describe("Fleiss' kappa", () => {
  it("matches the worked example of 10 subjects, 14 raters, 5 categories: P̄ = 0.378, P̄e = 0.213, κ = 0.210", () => {
    const k = fleissKappa([
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ]);
    expect(k.observed).toBeCloseTo(0.378, 3);
    expect(k.expected).toBeCloseTo(0.213, 3);
    expect(k.kappa).toBeCloseTo(0.21, 3);
  });

  it("rejects items with unequal numbers of ratings", () => {
    expect(() =>
      fleissKappa([
        [1, 1],
        [2, 1],
      ]),
    ).toThrow(/same number of ratings/);
  });
});

describe("agreement per field", () => {
  it("uses Cohen's kappa when the same two reviewers rated every overlapped item", () => {
    const ratings = [
      { item: 1, reviewer: "ann", value: "true" },
      { item: 1, reviewer: "bob", value: "true" },
      { item: 2, reviewer: "ann", value: "false" },
      { item: 2, reviewer: "bob", value: "true" },
      { item: 3, reviewer: "ann", value: "false" },
      { item: 3, reviewer: "bob", value: "false" },
      { item: 4, reviewer: "ann", value: "true" }, // not complete: left out
    ];
    const a = fieldAgreement(ratings, 2)!;
    expect(a.method).toBe("cohen");
    expect(a.items).toBe(3);
    // p_o = 2/3; ann: 1 true 2 false, bob: 2 true 1 false → p_e = 1/3·2/3 + 2/3·1/3 = 4/9
    expect(a.kappa).toBeCloseTo((2 / 3 - 4 / 9) / (1 - 4 / 9), 12);
  });

  it("uses Fleiss' kappa when reviewers vary between items, and nothing without overlap", () => {
    const ratings = [
      { item: 1, reviewer: "ann", value: "3" },
      { item: 1, reviewer: "bob", value: "3" },
      { item: 2, reviewer: "cy", value: "4" },
      { item: 2, reviewer: "bob", value: "5" },
    ];
    expect(fieldAgreement(ratings, 2)).toMatchObject({ method: "fleiss", raters: 3, items: 2 });
    expect(fieldAgreement(ratings, 1)).toBeNull();
  });
});
