import { describe, expect, it } from "vitest";
import { jsonInText, runDeterministic, type EvalSubject } from "./deterministic";
import { evaluateItem, itemPassed, type JudgeCall } from "./evaluate";
import { evaluatorSpec } from "./evaluator-spec";
import { rougeL, rougeN } from "./text-similarity";

const subject = (over: Partial<EvalSubject> = {}): EvalSubject => ({
  output: "The capital of France is Paris.",
  toolCalls: [],
  expected: "Paris",
  context: "Paris is the capital and largest city of France.",
  question: "What is the capital of France?",
  latencyMs: 120,
  cost: 0.0002,
  ...over,
});
const spec = (raw: Record<string, unknown>) => evaluatorSpec.parse({ name: String(raw.type), ...raw });

describe("deterministic evaluators (promptfoo semantics)", () => {
  it("checks text", () => {
    const s = subject();
    expect(runDeterministic("contains", undefined, undefined, s).pass).toBe(true); // value defaults to expected
    expect(runDeterministic("icontains", "PARIS", undefined, s).pass).toBe(true);
    expect(runDeterministic("contains", "PARIS", undefined, s).pass).toBe(false);
    expect(runDeterministic("contains-any", "London, Paris", undefined, s).pass).toBe(true);
    expect(runDeterministic("contains-all", ["London", "Paris"], undefined, s)).toMatchObject({ pass: false, reason: 'missing "London"' });
    expect(runDeterministic("icontains-all", ["capital", "PARIS"], undefined, s).pass).toBe(true);
    expect(runDeterministic("starts-with", "The capital", undefined, s).pass).toBe(true);
    expect(runDeterministic("regex", "Par(is|ma)\\.$", undefined, s).pass).toBe(true);
    expect(runDeterministic("equals", undefined, undefined, subject({ output: "Paris" })).pass).toBe(true);
    expect(runDeterministic("equals", "Paris", undefined, s).pass).toBe(false);
  });

  it("checks JSON, with schemas and expected JSON compared by value", () => {
    const schema = { type: "object", required: ["city"], properties: { city: { type: "string" } } };
    expect(runDeterministic("is-json", schema, undefined, subject({ output: '{"city":"Paris"}' })).pass).toBe(true);
    expect(runDeterministic("is-json", schema, undefined, subject({ output: '{"town":"Paris"}' })).reason).toMatch(
      /must have required property 'city'/,
    );
    expect(runDeterministic("is-json", undefined, undefined, subject({ output: "Paris" })).pass).toBe(false);
    expect(runDeterministic("contains-json", schema, undefined, subject({ output: 'Sure! {"city": "Paris"} there' })).pass).toBe(true);
    expect(jsonInText('a {"b": "}"} c [1, 2] {bad')).toEqual([{ b: "}" }, [1, 2]]);
    expect(runDeterministic("equals", undefined, undefined, subject({ output: '{"b":2,"a":1}', expected: '{"a":1,"b":2}' })).pass).toBe(
      true,
    );
    expect(runDeterministic("equals", { a: 1 }, undefined, subject({ output: '{"a": 2}' })).pass).toBe(false);
  });

  it("measures similarity, tool calls, latency and cost against thresholds", () => {
    expect(runDeterministic("levenshtein", "Pariss", 1, subject({ output: "Paris" }))).toMatchObject({
      pass: true,
      reason: "distance 1 (at most 1)",
    });
    expect(runDeterministic("levenshtein", "London", undefined, subject({ output: "Paris" })).pass).toBe(false);
    expect(rougeN("the cat sat on the mat", "the cat was on the mat")).toBeCloseTo(5 / 6);
    // LCS of "the cat sat on the mat" and "the cat was on the mat" is 5 words: P = R = 5/6.
    expect(rougeL("the cat sat on the mat", "the cat was on the mat")).toBeCloseTo(5 / 6);
    expect(runDeterministic("rouge-l", "Paris is the capital of France", 0.5, subject()).pass).toBe(true);
    const calls = subject({
      toolCalls: [
        { name: "get_weather", arguments: "{}" },
        { name: "search", arguments: "{}" },
      ],
    });
    expect(runDeterministic("tool-call-f1", ["get_weather"], undefined, calls)).toMatchObject({ pass: false, score: 2 / 3 });
    expect(runDeterministic("tool-call-f1", ["get_weather", "search"], undefined, calls).pass).toBe(true);
    expect(runDeterministic("latency", undefined, 100, subject()).pass).toBe(false);
    expect(runDeterministic("cost", undefined, 0.001, subject()).pass).toBe(true);
    expect(() => runDeterministic("cost", undefined, undefined, subject())).toThrow(/needs a threshold/);
  });

  it("refuses unknown and unsafe types with a message", () => {
    expect(evaluatorSpec.safeParse({ name: "x", type: "javascript" }).error?.issues[0]?.message).toMatch(/runs code/);
    expect(evaluatorSpec.safeParse({ name: "x", type: "not-contians" }).error?.issues[0]?.message).toMatch(
      /unknown evaluator type "not-contians"/,
    );
  });
});

describe("evaluateItem", () => {
  it("inverts not- types, calls judges with the right target and scale, and keeps a failing evaluator's error", async () => {
    const calls: JudgeCall[] = [];
    const judge = async (call: JudgeCall) => {
      calls.push(call);
      if (call.evaluator === "broken") return { content: "I think it is fine", inferenceId: "j3" };
      if ("model" in call.target) return { content: 'Sure: {"score": 3, "reasoning": "every claim is supported"}', inferenceId: "j1" };
      return { content: '{"score": 0.4, "reasoning": "too terse", "pass": false}', inferenceId: "j2" };
    };
    const specs = [
      spec({ type: "not-contains", value: "London" }),
      spec({ type: "groundedness", judge: { model: "judge-model" } }),
      spec({ name: "helpful", type: "llm-rubric", value: "Is it helpful?" }),
      spec({ name: "broken", type: "llm-rubric", value: "x" }),
      spec({ name: "bad-regex", type: "regex", value: "(" }),
      spec({ name: "ignored", type: "contains", value: "nope", weight: 0 }),
    ];
    const scores = await evaluateItem(specs, subject(), judge, { function: "judge_helpful" });
    expect(scores["not-contains"]).toMatchObject({ pass: true, score: 1 });
    expect(scores.groundedness).toEqual({ pass: true, score: 1, reason: "every claim is supported", judgeInferenceId: "j1" });
    expect(scores.helpful).toEqual({ pass: false, score: 0.4, reason: "too terse", judgeInferenceId: "j2" });
    expect(scores.broken).toMatchObject({ pass: false, score: 0, error: expect.stringMatching(/did not answer/) });
    expect(scores["bad-regex"]).toMatchObject({ pass: false, error: expect.stringMatching(/Invalid regular expression/) });
    expect(calls.find((c) => c.evaluator === "groundedness")!.messages![1]!.content).toContain("SOURCE:\nParis is the capital");
    expect(calls.find((c) => c.evaluator === "helpful")!.variables).toMatchObject({ rubric: "Is it helpful?", output: subject().output });
    expect(itemPassed(specs, scores)).toBe(false);
    expect(itemPassed(specs.slice(0, 2), scores)).toBe(true);
  });
});
