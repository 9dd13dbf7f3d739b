import { describe, expect, it } from "vitest";
import { auditDiff, prettyJson } from "./audit-diff";

describe("auditDiff", () => {
  it("marks the changed lines of an alias move and keeps the rest", () => {
    const lines = auditDiff({ alias: "production", version: 2 }, { version: 3, alias: "production" });
    expect(lines).toEqual([
      { kind: "same", text: "{" },
      { kind: "same", text: '  "alias": "production",' },
      { kind: "removed", text: '  "version": 2' },
      { kind: "added", text: '  "version": 3' },
      { kind: "same", text: "}" },
    ]);
  });

  it("shows a creation as all added and a deletion as all removed", () => {
    expect(auditDiff(null, { name: "k" }).map((l) => l.kind)).toEqual(["added", "added", "added"]);
    expect(auditDiff({ name: "k" }, undefined).map((l) => l.kind)).toEqual(["removed", "removed", "removed"]);
    expect(auditDiff(null, null)).toEqual([]);
  });

  it("ignores key order", () => {
    expect(prettyJson({ b: 1, a: { d: 1, c: [{ f: 1, e: 2 }] } })).toBe(prettyJson({ a: { c: [{ e: 2, f: 1 }], d: 1 }, b: 1 }));
    expect(auditDiff({ b: 1, a: 2 }, { a: 2, b: 1 }).every((l) => l.kind === "same")).toBe(true);
  });
});
