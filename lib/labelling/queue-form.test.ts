import { describe, expect, it } from "vitest";
import { draftToInput, emptyDraft, metricChoices, parseTags } from "./queue-form";
import { createQueueInput } from "./schemas";

describe("the new-queue form", () => {
  it("reads tags as key=value lines and reports the rest", () => {
    expect(parseTags("user=u1\n env = prod ,bad")).toEqual({ tags: { user: "u1", env: "prod" }, problems: ['"bad" is not key=value'] });
  });

  it("turns what was typed into a valid API input (local times read as UTC)", () => {
    const input = draftToInput({
      ...emptyDraft(),
      name: "Triage",
      functionName: " support ",
      from: "2026-11-01T10:00",
      tags: "user=u1",
      sample: true,
      sampleSize: "50",
      seed: "7",
      fields: [
        { key: "tone", type: "category", metric: "", options: "formal, casual" },
        { key: "note", type: "comment", metric: "ignored", options: "" },
      ],
      overlap: "2",
      reviewers: "ann, bob",
    });
    expect(input).toEqual({
      name: "Triage",
      filter: { function: "support", from: "2026-11-01T10:00:00.000Z", tags: { user: "u1" } },
      sample: { size: 50, seed: 7 },
      fields: [
        { key: "tone", type: "category", options: ["formal", "casual"] },
        { key: "note", type: "comment" },
      ],
      overlap: 2,
      reviewers: ["ann", "bob"],
      claimTimeoutSeconds: 600,
      blind: true,
    });
    expect(createQueueInput.safeParse(input).success).toBe(true);
  });

  it("leaves invalid numbers for the schema to report", () => {
    const parsed = createQueueInput.safeParse(draftToInput({ ...emptyDraft(), name: "x", overlap: "0" }));
    expect(parsed.success).toBe(false);
  });
});

describe("the new-queue form's metric picker", () => {
  const metrics = [
    { name: "solved", type: "boolean", level: "inference" },
    { name: "quality", type: "float", level: "inference" },
    { name: "accuracy", type: "float", level: "inference" },
    { name: "session_ok", type: "boolean", level: "episode" },
  ] as const;
  it("offers only metrics whose type and level the server accepts for the field", () => {
    expect(metricChoices(metrics, "boolean")).toEqual(["solved"]);
    expect(metricChoices(metrics, "score")).toEqual(["accuracy", "quality"]);
    expect(metricChoices(metrics, "category")).toEqual([]);
    expect(metricChoices(metrics, "comment")).toEqual([]);
  });
});
