import { describe, expect, it } from "vitest";
import { fallbackOrder, pickWeighted, stickyDraw } from "./variants";

describe("variant choice", () => {
  const variants = [
    { name: "b", weight: 1 },
    { name: "a", weight: 3 },
    { name: "off", weight: 0 },
  ];

  it("maps draws onto weights in name order, never picking weight 0", () => {
    expect(pickWeighted(variants, 0)).toBe("a");
    expect(pickWeighted(variants, 0.7499)).toBe("a");
    expect(pickWeighted(variants, 0.75)).toBe("b");
    expect(pickWeighted(variants, 0.99999)).toBe("b");
    expect(() => pickWeighted([{ name: "x", weight: 0 }], 0.5)).toThrow(/positive weight/);
  });

  it("draws the same number for the same function and episode, on any instance", () => {
    const episode = "01a2081d-59f6-7171-823a-67306c3bc5a2";
    expect(stickyDraw("f", episode)).toBe(stickyDraw("f", episode));
    expect(stickyDraw("f", episode)).not.toBe(stickyDraw("g", episode));
    // Roughly uniform: 10,000 episodes split 3:1 within 2 percentage points.
    let a = 0;
    for (let i = 0; i < 10_000; i++) if (pickWeighted(variants, stickyDraw("f", `episode-${i}`)) === "a") a += 1;
    expect(Math.abs(a / 10_000 - 0.75)).toBeLessThan(0.02);
  });

  it("orders fallbacks by weight after the chosen variant", () => {
    expect(fallbackOrder(variants, "b")).toEqual(["b", "a", "off"]);
    expect(fallbackOrder(variants, "off")).toEqual(["off", "a", "b"]);
  });
});
