import { describe, expect, it } from "vitest";
import { assignShortcuts } from "./shortcuts";
import { normalizeFields } from "./values";

describe("labelling shortcuts", () => {
  it("gives every label its own key and never takes the navigation keys", () => {
    const fields = normalizeFields("q", [
      { key: "helpful", type: "boolean" },
      { key: "safe", type: "boolean" },
      { key: "quality", type: "score" },
      { key: "style", type: "score" },
      { key: "tone", type: "category", options: ["casual", "serious", "blunt", "neutral"] },
      { key: "note", type: "comment" },
      { key: "fix", type: "correction" },
    ]);
    const { byKey, byField } = assignShortcuts(fields);
    expect(byField.get("helpful")!.choices.map((c) => c.key)).toEqual(["y", "n"]);
    expect(byField.get("safe")!.choices.map((c) => c.key)).toEqual(["t", "f"]);
    expect(byField.get("quality")!.choices.map((c) => c.key)).toEqual(["1", "2", "3", "4", "5"]);
    expect(byField.get("style")!.choices.map((c) => c.key)).toEqual(["6", "7", "8", "9", "0"]);
    // "casual" cannot have C (comment) nor "serious" S (skip), nor "blunt" B (back); "neutral" N is taken by No.
    const tone = byField.get("tone")!.choices.map((c) => c.key);
    expect(tone).not.toContain("c");
    expect(tone).not.toContain("s");
    expect(tone).not.toContain("b");
    expect(tone).not.toContain("n");
    expect(byField.get("note")!.focus).toBe("c");
    expect(byField.get("fix")!.focus).toBe("e");
    const all = [...byField.values()].flatMap((f) => [...f.choices.map((c) => c.key), f.focus]).filter(Boolean);
    expect(new Set(all).size).toBe(all.length);
    expect(byKey.get("y")).toEqual({ type: "set", field: "helpful", value: true });
    expect(byKey.get("3")).toEqual({ type: "set", field: "quality", value: 3 });
    expect(byKey.get("e")).toEqual({ type: "focus", field: "fix" });
  });

  it("uses a category option's initial when it is free", () => {
    const fields = normalizeFields("q", [{ key: "topic", type: "category", options: ["billing", "account", "other"] }]);
    // B is the back key, so billing takes the first free letter (A), and account the next (C).
    expect(
      assignShortcuts(fields)
        .byField.get("topic")!
        .choices.map((c) => c.key),
    ).toEqual(["a", "c", "o"]);
  });
});
