import { describe, expect, it } from "vitest";
import { nestRuns } from "./nesting";

const r = (runId: string, parentRunId: string | null = null) => ({ runId, parentRunId });

describe("nestRuns", () => {
  const page = [r("a"), r("c1", "p"), r("p"), r("c2", "p"), r("orphan", "elsewhere")];

  it("hides children of a collapsed parent on the page and keeps orphans at the top", () => {
    expect(nestRuns(page, new Set()).map((d) => [d.run.runId, d.depth])).toEqual([
      ["a", 0],
      ["p", 0],
      ["orphan", 0],
    ]);
  });

  it("lists children under an expanded parent, with fetched ones merged once", () => {
    const fetched = new Map([["p", [r("c2", "p"), r("c3", "p")]]]);
    expect(nestRuns(page, new Set(["p"]), fetched).map((d) => [d.run.runId, d.depth])).toEqual([
      ["a", 0],
      ["p", 0],
      ["c1", 1],
      ["c2", 1],
      ["c3", 1],
      ["orphan", 0],
    ]);
  });

  it("nests grandchildren and survives a run naming itself as parent", () => {
    const rows = [r("p"), r("c", "p"), r("g", "c"), r("self", "self")];
    expect(nestRuns(rows, new Set(["p", "c"])).map((d) => [d.run.runId, d.depth])).toEqual([
      ["p", 0],
      ["c", 1],
      ["g", 2],
      ["self", 0],
    ]);
  });
});
