import { describe, expect, it } from "vitest";
import { checkRunFilter, closest, editDistance } from "./filter";

const known = { metrics: ["accuracy", "val_loss"], params: ["model", "lr"], tags: ["team"] };

describe("checkRunFilter", () => {
  it("accepts the API's DSL and returns the bound clauses", () => {
    const check = checkRunFilter("metrics.accuracy > 0.9 and params.model = 'gpt'", known);
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.clauses).toEqual([
        { kind: "metric", key: "accuracy", op: ">", value: 0.9 },
        { kind: "param", key: "model", op: "=", value: "gpt" },
      ]);
      expect(check.warnings).toEqual([]);
    }
  });

  it("accepts an empty filter", () => {
    expect(checkRunFilter("  ", known)).toEqual({ ok: true, clauses: [], warnings: [] });
  });

  it("explains the usual slips with MLflow's message and a fix", () => {
    const unquoted = checkRunFilter("params.model = gpt", known);
    expect(unquoted).toMatchObject({ ok: false, hint: expect.stringContaining("Quote text values") });
    if (!unquoted.ok) expect(unquoted.message).toMatch(/not quoted/);
    expect(checkRunFilter("params.model == 'a'", known)).toMatchObject({ ok: false, hint: expect.stringContaining("single =") });
    expect(checkRunFilter("metrics.a > 1 or metrics.b > 2", known)).toMatchObject({
      ok: false,
      hint: expect.stringContaining("OR is not supported"),
    });
    expect(checkRunFilter("metrics.accuracy > 'high'", known)).toMatchObject({ ok: false, hint: expect.stringContaining("numbers") });
    expect(checkRunFilter("metric.x > 1 and foo.bar = 'x'", known)).toMatchObject({
      ok: false,
      hint: expect.stringContaining("metrics., params."),
    });
    expect(checkRunFilter("params.model = 'gpt", known)).toMatchObject({ ok: false, hint: "Close the quote you opened." });
  });

  it("warns about keys no run logs, suggesting the closest one", () => {
    const check = checkRunFilter("metrics.acuracy > 0.5 and tags.owner = 'x'", known);
    expect(check).toEqual({
      ok: true,
      clauses: expect.any(Array),
      warnings: ["No run here logs metrics.acuracy; did you mean metrics.accuracy?", "No run here logs tags.owner, so nothing will match."],
    });
  });
});

describe("closest", () => {
  it("finds near keys only", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(closest("val_los", ["val_loss", "accuracy"])).toBe("val_loss");
    expect(closest("zzz", ["val_loss", "accuracy"])).toBeUndefined();
  });
});
