import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { APIError, type OpenAI } from "openai";
import { expect } from "vitest";
import { rows, type TestGateway, type TestStores } from "@/lib/gateway/testing/harness";

/** The guardrail int tests' shared pieces: the SDK's error, a streamed answer, a recorded row, a check service. */

/** The openai SDK's APIError a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<APIError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(APIError);
  return error as APIError;
}

/** A streamed chat completion through the SDK: its text and the inference id its chunks carry. */
export async function streamText(client: OpenAI, model: string, content: string): Promise<{ text: string; id: string }> {
  const stream = await client.chat.completions.create({
    model: `function::${model}`,
    messages: [{ role: "user", content }],
    stream: true,
  });
  let text = "";
  let id = "";
  for await (const chunk of stream) {
    id = chunk.id;
    text += chunk.choices[0]?.delta.content ?? "";
  }
  return { text, id };
}

/** A guardrail verdict as the inference's row holds it (ClickHouse 0008). */
export interface RecordedVerdict {
  name: string;
  kind: string;
  stage: string;
  mode: string;
  outcome: string;
  detail: string;
  duration_ms: number;
}

export interface RecordedRow {
  status: string;
  error: string;
  cached: boolean;
  output: string;
  guardrails: RecordedVerdict[];
}

/** The inference's row as recorded, after the gateway's recorder has written what it holds. */
export async function recordedRow(gateway: TestGateway, env: TestStores, id: string): Promise<RecordedRow> {
  await gateway.gateway.recorder.flush();
  const [row] = await rows<RecordedRow>(
    env.stores,
    "SELECT status, error, cached, output, guardrails FROM inferences WHERE id = {id:UUID}",
    { id },
  );
  return row!;
}

/**
 * A local external check service: `answer` gets the request's JSON and returns the reply's, or
 * undefined to never answer (the connection stays open until `close`).
 */
export async function startCheckService(
  answer: (asked: Record<string, unknown>) => object | undefined,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const reply = answer(JSON.parse(body) as Record<string, unknown>);
      if (reply === undefined) return;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
