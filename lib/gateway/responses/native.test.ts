import { describe, expect, it } from "vitest";
import { eventDelta, readResponse } from "../providers/openai-responses";
import { UpstreamError } from "../providers/types";
import { chatToItems, nativeRequestBody } from "./native";

describe("the native Responses pass-through", () => {
  it("turns chat messages into input items: tool calls and their outputs, parts, assistant text", () => {
    expect(
      chatToItems([
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "look" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AA" } },
          ],
        },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "c1", content: "42" },
        { role: "assistant", content: "It is 42." },
      ]),
    ).toEqual([
      { type: "message", role: "system", content: "Be brief." },
      {
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: "look" },
          { type: "input_image", image_url: "data:image/png;base64,AA", detail: "auto" },
        ],
      },
      { type: "function_call", call_id: "c1", name: "f", arguments: "{}" },
      { type: "function_call_output", call_id: "c1", output: "42" },
      { type: "message", role: "assistant", content: "It is 42." },
    ]);
  });

  it("puts the variant's prompt before the client's items and fills only the parameters the client left unset", () => {
    const request = {
      model: "up-model",
      messages: [
        { role: "system" as const, content: "Variant prompt." },
        { role: "system" as const, content: "Client instructions." },
        { role: "user" as const, content: "hi" },
      ],
      temperature: 0.2,
      max_tokens: 100,
      response_format: { type: "json_object" as const },
    };
    const body = nativeRequestBody(
      { functionName: "f", instructions: "Client instructions.", messages: [{ role: "user", content: "hi" }] },
      { input: [{ role: "user", content: "hi" }], instructions: "Client instructions.", temperature: 0.9, include: ["x"] },
      request,
    );
    expect(body).toEqual({
      model: "up-model",
      instructions: "Client instructions.",
      input: [
        { type: "message", role: "system", content: "Variant prompt." },
        { role: "user", content: "hi" },
      ],
      temperature: 0.9,
      max_output_tokens: 100,
      text: { format: { type: "json_object" } },
      include: ["x"],
    });
  });

  it("reads a Response in the chat shape: text, tool calls, finish reason, tokens; a failed one is an error", () => {
    expect(
      readResponse(
        {
          status: "incomplete",
          incomplete_details: { reason: "max_output_tokens" },
          output: [
            { type: "reasoning", id: "rs" },
            { type: "message", content: [{ type: "output_text", text: "Hal", logprobs: [{ token: "Hal", logprob: -1 }] }] },
          ],
          usage: { input_tokens: 5, output_tokens: 3, input_tokens_details: { cached_tokens: 2 } },
        },
        "p",
      ),
    ).toEqual({
      content: "Hal",
      finish_reason: "length",
      logprobs: { content: [{ token: "Hal", logprob: -1 }] },
      usage: { input_tokens: 5, output_tokens: 3, cached_input_tokens: 2 },
    });
    expect(
      readResponse({ status: "completed", output: [{ type: "function_call", call_id: "c", name: "f", arguments: "{}" }] }, "p"),
    ).toMatchObject({ content: null, finish_reason: "tool_calls", tool_calls: [{ id: "c", function: { name: "f" } }] });
    expect(() => readResponse({ status: "failed", error: { message: "boom" } }, "p")).toThrow(/boom/);
  });

  it("reads typed events as deltas, keeping each event; an error event or an unreadable one is an UpstreamError", () => {
    const text = { type: "response.output_text.delta", delta: "Hi", output_index: 1, logprobs: [] };
    expect(eventDelta(JSON.stringify(text), "p")).toEqual({ delta: { content: "Hi", event: text }, final: false });
    const call = { type: "response.output_item.added", output_index: 2, item: { type: "function_call", call_id: "c", name: "f" } };
    expect(eventDelta(JSON.stringify(call), "p").delta.tool_calls).toEqual([
      { index: 2, id: "c", type: "function", function: { name: "f" } },
    ]);
    const done = {
      type: "response.completed",
      response: { status: "completed", output: [], usage: { input_tokens: 1, output_tokens: 2 } },
    };
    expect(eventDelta(JSON.stringify(done), "p")).toMatchObject({
      delta: { finish_reason: "stop", usage: { input_tokens: 1, output_tokens: 2 } },
      final: true,
    });
    expect(eventDelta('{"type":"response.reasoning_summary_text.delta","delta":"x"}', "p")).toMatchObject({ final: false });
    expect(() => eventDelta('{"type":"error","message":"bad"}', "p")).toThrow(UpstreamError);
    expect(() => eventDelta("not json", "p")).toThrow(/unreadable/);
  });
});
