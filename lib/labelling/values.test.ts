import { describe, expect, it } from "vitest";
import { checkValues, defaultMetric, labelProblems, normalizeFields, toFeedbackValue } from "./values";

const fields = normalizeFields("Support triage!", [
  { key: "helpful", type: "boolean" },
  { key: "quality", type: "score", metric: "quality_score" },
  { key: "tone", type: "category", options: ["formal", "casual"] },
  { key: "note", type: "comment" },
  { key: "fix", type: "correction" },
]);

describe("label fields", () => {
  it("derives metric names from the queue and key, keeps given ones, and uses the shared comment/demonstration metrics", () => {
    expect(fields.map((f) => f.metric)).toEqual([
      "support_triage.helpful",
      "quality_score",
      "support_triage.tone",
      "comment",
      "demonstration",
    ]);
    expect(fields.map((f) => f.required)).toEqual([true, true, true, false, false]);
    expect(fields[0]!.label).toBe("Helpful");
    expect(defaultMetric("***", { key: "ok", type: "boolean" })).toBe("ok");
  });

  it("accepts well-typed values in field order and treats empty text as absent", () => {
    expect(checkValues(fields, { tone: "casual", quality: 4, helpful: false, note: "  " })).toEqual([
      ["helpful", false],
      ["quality", 4],
      ["tone", "casual"],
    ]);
  });

  it("says what is wrong with a value", () => {
    const base = { helpful: true, quality: 3, tone: "formal" };
    expect(() => checkValues(fields, { ...base, quality: 6 })).toThrow('"Quality" takes a whole score from 1 to 5, not 6');
    expect(() => checkValues(fields, { ...base, tone: "rude" })).toThrow('"Tone" takes one of "formal", "casual", not "rude"');
    expect(() => checkValues(fields, { ...base, helpful: 1 })).toThrow('"Helpful" takes true or false, not 1');
    expect(() => checkValues(fields, { quality: 3, tone: "formal" })).toThrow('"Helpful" is required');
    expect(() => checkValues(fields, { ...base, extra: 1 })).toThrow('Unknown label field "extra"');
  });

  it("maps each value to its feedback row content", () => {
    const [helpful, quality, tone, note, fix] = fields;
    expect(toFeedbackValue(helpful!, true)).toEqual({ metric: "support_triage.helpful", kind: "boolean", value: 1, text: "" });
    expect(toFeedbackValue(quality!, 2)).toEqual({ metric: "quality_score", kind: "float", value: 2, text: "" });
    expect(toFeedbackValue(tone!, "casual")).toEqual({ metric: "support_triage.tone", kind: "comment", value: 0, text: "casual" });
    expect(toFeedbackValue(note!, "ok")).toEqual({ metric: "comment", kind: "comment", value: 0, text: "ok" });
    expect(toFeedbackValue(fix!, "Better answer")).toEqual({
      metric: "demonstration",
      kind: "demonstration",
      value: 0,
      text: '{"content":"Better answer"}',
    });
  });
});

describe("checking labels before sending", () => {
  it("names each empty required field, and counts blank text as empty", () => {
    const p = labelProblems(fields, { quality: 4, note: "  " });
    expect(p.byField).toEqual({ helpful: "Choose one", tone: "Choose one" });
    expect(p.summary).toBe('2 required fields are empty: "Helpful", "Tone".');
    expect(labelProblems(fields, { helpful: false, quality: 4 }).summary).toBe('One required field is empty: "Tone".');
  });

  it("asks for at least one label when every field is optional", () => {
    const optional = normalizeFields("q", [{ key: "note", type: "comment" }]);
    expect(labelProblems(optional, {}).summary).toBe("Give at least one label before saving.");
    expect(labelProblems(optional, { note: "" }).summary).toBe("Give at least one label before saving.");
    expect(labelProblems(optional, { note: "fine" })).toEqual({ byField: {} });
  });

  it("agrees with the server's check on what may be sent", () => {
    const cases: Record<string, boolean | number | string>[] = [
      {},
      { helpful: true },
      { helpful: true, quality: 2, tone: "casual" },
      { helpful: false, quality: 5, tone: "formal", fix: " " },
      { quality: 1, tone: "formal", note: "x" },
    ];
    for (const values of cases) {
      const sendable = labelProblems(fields, values).summary === undefined;
      if (sendable) expect(() => checkValues(fields, values)).not.toThrow();
      else expect(() => checkValues(fields, values)).toThrow();
    }
  });
});
