import { describe, expect, it } from "vitest";
import { summariseCascades } from "./cascade";

describe("summariseCascades", () => {
  it("gives the escalation rate and the cost saved against the strongest model, zeros for a cascade without traffic", () => {
    const rows = [{ variant: "c", inferences: 10, escalated: 2, cost: 0.004, inputTokens: 1000, outputTokens: 500 }];
    const [c, idle] = summariseCascades(
      rows,
      { c: { model: "cheap", models: ["mid", "strong"] }, d: { model: "cheap", models: ["strong"] } },
      { cheap: { input: 1, output: 2 }, strong: { input: 10, output: 20 } },
    );
    expect(c).toMatchObject({ variant: "c", models: ["cheap", "mid", "strong"], escalationRate: 0.2 });
    expect(c!.strongestCost).toBeCloseTo((1000 * 10 + 500 * 20) / 1e6, 12);
    expect(c!.saved).toBeCloseTo(0.02 - 0.004, 12);
    expect(idle).toMatchObject({ variant: "d", inferences: 0, escalationRate: null, saved: 0 });
  });
});
