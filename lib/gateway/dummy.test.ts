import { describe, expect, it } from "vitest";
import { DeltaAccumulator } from "./chat";
import { parseConfig } from "./config";
import { dummyProvider } from "./providers/dummy";
import { virtualClock } from "./providers/types";

const config = (extra = "") =>
  parseConfig(`[providers.d]\ntype = "dummy"\nlatency_ms = 300\nttft_ms = 50\n${extra}`).providers.d as Extract<
    ReturnType<typeof parseConfig>["providers"][string],
    { type: "dummy" }
  >;

describe("the dummy provider", () => {
  const options = (clock = virtualClock(0)) => ({ signal: new AbortController().signal, clock, onFirstToken: () => undefined });

  it("echoes the last user message with ~4 characters per token, on the caller's clock", async () => {
    const clock = virtualClock(1_000);
    const result = await dummyProvider("d", config()).complete(
      { model: "m", messages: [{ role: "user", content: "hello world" }] },
      options(clock),
    );
    expect(result).toMatchObject({ content: "Echo: hello world", finish_reason: "stop", usage: { input_tokens: 6, output_tokens: 5 } });
    expect(clock.now()).toBe(1_300);
  });

  it("templates replies, obeys max_tokens and json mode, and calls tools", async () => {
    const templated = dummyProvider("d", config('reply = "[{{model}}] {{last_user}}"'));
    expect((await templated.complete({ model: "m1", messages: [{ role: "user", content: "hi" }] }, options())).content).toBe("[m1] hi");
    const long = await templated.complete(
      { model: "m1", messages: [{ role: "user", content: "x".repeat(100) }], max_tokens: 5 },
      options(),
    );
    expect(long).toMatchObject({ finish_reason: "length", content: "[m1] xxxxxxxxxxxxxxx" });
    const json = await templated.complete(
      { model: "m1", messages: [{ role: "user", content: "hi" }], response_format: { type: "json_object" } },
      options(),
    );
    expect(JSON.parse(json.content!)).toEqual({ answer: "[m1] hi" });
    const tool = await templated.complete(
      { model: "m1", messages: [{ role: "user", content: "find" }], tools: [{ type: "function", function: { name: "search" } }] },
      options(),
    );
    expect(tool).toMatchObject({
      content: null,
      finish_reason: "tool_calls",
      tool_calls: [{ type: "function", function: { name: "search", arguments: '{"input":"find"}' } }],
    });
  });

  it("streams the same answer in pieces and fails at its failure rate", async () => {
    const acc = new DeltaAccumulator();
    for await (const delta of dummyProvider("d", config()).stream(
      { model: "m", messages: [{ role: "user", content: "one two three" }] },
      options(),
    ))
      acc.add(delta);
    expect(acc.output()).toEqual({ content: "Echo: one two three", finish_reason: "stop" });
    expect(acc.usage).toEqual({ input_tokens: 7, output_tokens: 5 });
    const failing = dummyProvider("d", config("failure_rate = 0.5"), () => 0.1);
    await expect(failing.complete({ model: "m", messages: [{ role: "user", content: "x" }] }, options())).rejects.toMatchObject({
      status: 503,
      retryable: true,
    });
  });
});
