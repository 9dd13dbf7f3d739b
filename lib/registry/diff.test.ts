import { describe, expect, it } from "vitest";
import { diffLines, variableChanges } from "./diff";

describe("diffLines", () => {
  it("aligns equal lines and pairs a replaced line as changed", () => {
    expect(diffLines("a\nb\nc", "a\nB\nc")).toEqual([
      { kind: "same", left: "a", right: "a", leftNo: 1, rightNo: 1 },
      { kind: "changed", left: "b", right: "B", leftNo: 2, rightNo: 2 },
      { kind: "same", left: "c", right: "c", leftNo: 3, rightNo: 3 },
    ]);
  });

  it("shows pure additions and removals with their own line numbers", () => {
    expect(diffLines("a\nc", "a\nb\nc\nd").map((r) => r.kind)).toEqual(["same", "added", "same", "added"]);
    const removed = diffLines("x\ny\nz", "x\nz");
    expect(removed[1]).toEqual({ kind: "removed", left: "y", leftNo: 2 });
    expect(removed[2]).toEqual({ kind: "same", left: "z", right: "z", leftNo: 3, rightNo: 2 });
  });

  it("handles identical and empty texts", () => {
    expect(diffLines("same", "same")).toEqual([{ kind: "same", left: "same", right: "same", leftNo: 1, rightNo: 1 }]);
    expect(diffLines("", "new").map((r) => r.kind)).toEqual(["changed"]);
  });
});

describe("variableChanges", () => {
  it("lists variables added and removed between versions", () => {
    expect(variableChanges(["ticket"], ["ticket", "max_words", "product"])).toEqual({ added: ["max_words", "product"], removed: [] });
  });
});
