import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DeltaAccumulator } from "./chat";
import { GATEWAY_PATHS, isGatewayPath } from "./http.server";
import { toAnthropic, fromAnthropic } from "./providers/anthropic";
import { matchRoute, MODEL_BY_ID } from "./routes";
import { parseModelField } from "./wire";

describe("gateway wire formats", () => {
  it("reads the model field's convention", () => {
    expect(parseModelField("function::summarize")).toEqual({ functionName: "summarize" });
    expect(parseModelField("model::fast")).toEqual({ modelName: "fast" });
    expect(parseModelField("fast")).toEqual({ modelName: "fast" });
  });

  it("routes exactly the gateway's paths, and the custom server lists the same ones", () => {
    expect(isGatewayPath("/openai/v1/chat/completions?x=1")).toBe(true);
    expect(isGatewayPath("/api/feedback/")).toBe(true);
    expect(isGatewayPath("/api/health")).toBe(false);
    expect(isGatewayPath("/openai/v1/other")).toBe(true);
    expect(isGatewayPath("/openai/v1")).toBe(true);
    expect(isGatewayPath("/openai/v10")).toBe(false);
    const server = readFileSync("scripts/server.mjs", "utf8");
    for (const path of GATEWAY_PATHS) expect(server).toContain(`"${path}"`);
    expect(server).toContain('raw.startsWith("/openai/v1/")');
  });

  it("matches routes: exact paths, a model by id (decoded), and a JSON 404 for the rest of /openai/v1", () => {
    expect(matchRoute("/openai/v1/chat/completions/")).toEqual({ route: "/openai/v1/chat/completions", method: "POST" });
    expect(matchRoute("/openai/v1/models/function%3A%3Achat")).toEqual({ route: MODEL_BY_ID, method: "GET", id: "function::chat" });
    expect(() => matchRoute("/openai/v1/completions")).toThrow(/Invalid URL \/openai\/v1\/completions: this gateway serves/);
    expect(() => matchRoute("/openai/v1/models/%ZZ")).toThrow(/percent-encoding/);
    expect(() => matchRoute("/api/nope")).toThrow(/no gateway route/);
  });

  it("assembles streamed deltas, tool calls included", () => {
    const acc = new DeltaAccumulator();
    acc.add({ content: "Hel" });
    acc.add({ content: "lo" });
    acc.add({ tool_calls: [{ index: 0, id: "c1", type: "function", function: { name: "f", arguments: '{"a"' } }] });
    acc.add({ tool_calls: [{ index: 0, function: { arguments: ":1}" } }] });
    acc.add({ finish_reason: "tool_calls", usage: { input_tokens: 1, output_tokens: 2 } });
    expect(acc.output()).toEqual({
      content: "Hello",
      tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
      finish_reason: "tool_calls",
    });
    expect(acc.usage).toEqual({ input_tokens: 1, output_tokens: 2 });
  });

  it("translates images, consecutive turns and json mode for Anthropic", () => {
    const body = toAnthropic(
      {
        model: "c",
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "see" },
              { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
            ],
          },
          { role: "user", content: "and" },
        ],
        response_format: { type: "json_object" },
        stop: "END",
      },
      true,
    );
    expect(body).toMatchObject({
      stream: true,
      stop_sequences: ["END"],
      system: "Respond with a single JSON object, and nothing else.",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "see" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
            { type: "text", text: "and" },
          ],
        },
      ],
    });
    expect(
      fromAnthropic({
        content: [
          { type: "text", text: "a" },
          { type: "thinking", thinking: "…" },
        ],
        stop_reason: "max_tokens",
        usage: { input_tokens: 1, output_tokens: 2 },
      }),
    ).toEqual({
      content: "a",
      finish_reason: "length",
      usage: { input_tokens: 1, output_tokens: 2 },
    });
  });
});
