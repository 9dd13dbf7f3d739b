import type { Dispatcher } from "undici";
import { z } from "zod";
import { estimateTokens } from "../chat";
import { postJson, readText } from "./http";
import { UpstreamError, type CallOptions, type EmbedRequest, type EmbedResult } from "./types";

/**
 * Embeddings on the wire: OpenAI's `POST /embeddings` (always asked for floats, which the cache
 * keeps; base64 is made for the client at the end), and the dummy provider's deterministic vectors.
 */
const embeddingsSchema = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
  usage: z.object({ prompt_tokens: z.number().optional() }).nullish(),
});

export async function openaiEmbed(
  target: { agent: Dispatcher; url: string; headers: () => Record<string, string>; name: string },
  request: EmbedRequest,
  options: CallOptions,
): Promise<EmbedResult> {
  const body = Object.fromEntries(Object.entries({ ...request, encoding_format: "float" }).filter(([, v]) => v !== undefined));
  const response = await postJson({
    agent: target.agent,
    url: target.url,
    headers: target.headers(),
    body,
    signal: options.signal,
    providerName: target.name,
  });
  options.onFirstToken();
  const raw = await readText(response.body, options.signal, target.name);
  let parsed: z.infer<typeof embeddingsSchema>;
  try {
    parsed = embeddingsSchema.parse(JSON.parse(raw));
  } catch (error) {
    throw new UpstreamError(
      `${target.name}: unexpected embeddings body (${error instanceof Error ? error.message.slice(0, 200) : "invalid"})`,
      "protocol",
      undefined,
      undefined,
      raw.slice(0, 2000),
    );
  }
  const vectors: number[][] = [];
  for (const item of parsed.data) vectors[item.index] = item.embedding;
  if (vectors.length !== request.input.length || vectors.some((v) => !v)) {
    throw new UpstreamError(`${target.name}: ${parsed.data.length} embeddings for ${request.input.length} inputs`, "protocol");
  }
  return {
    vectors,
    input_tokens: parsed.usage?.prompt_tokens ?? request.input.reduce((s, item) => s + itemTokens(item), 0),
    raw: JSON.stringify({ ...parsed, data: parsed.data.map((d) => ({ index: d.index, dimensions: d.embedding.length })) }),
  };
}

export const itemTokens = (item: string | number[]) => (typeof item === "string" ? estimateTokens(item) : item.length);

/** Default length of a dummy vector when the request sets no `dimensions`. */
export const DUMMY_DIMENSIONS = 256;

/**
 * A deterministic unit vector for (model, item): the same text always maps to the same vector, so
 * demos and tests can check similarity and caching. Seeded by FNV-1a, drawn by mulberry32.
 */
export function dummyVector(model: string, item: string | number[], dimensions = DUMMY_DIMENSIONS): number[] {
  const text = `${model}\u0000${typeof item === "string" ? item : item.join(",")}`;
  let seed = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) seed = Math.imul(seed ^ text.charCodeAt(i), 0x01000193);
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const vector = Array.from({ length: dimensions }, () => next() * 2 - 1);
  const norm = Math.sqrt(vector.reduce((s, x) => s + x * x, 0)) || 1;
  return vector.map((x) => x / norm);
}
