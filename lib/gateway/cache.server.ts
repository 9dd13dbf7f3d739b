import "server-only";
import { createHash } from "node:crypto";
import type { ClickHouseClient } from "@clickhouse/client";
import { toClickHouseTime } from "@/lib/inference/tables";
import type { ChatOutput, ChatRequest, Usage } from "./chat";

/**
 * The response cache: the key is sha256 over the canonical JSON (keys sorted) of what decides the
 * answer — function, variant, model and the full upstream request (messages after templating,
 * parameters, tools). Entries live in ClickHouse's inference_cache (written by the recorder, kept
 * 30 days); a lookup only accepts entries younger than the request's TTL. A failing lookup is a miss.
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export function cacheKey(parts: { functionName: string; variantName: string; modelName: string; request: ChatRequest }): string {
  return createHash("sha256")
    .update(JSON.stringify(canonical(parts)))
    .digest("hex");
}

export interface CacheHit {
  output: ChatOutput;
  usage: Usage;
  inferenceId: string;
}

export async function lookupCache(client: ClickHouseClient, key: string, ttlSeconds: number, now: number): Promise<CacheHit | undefined> {
  try {
    const result = await client.query({
      query: `SELECT output, input_tokens, output_tokens, toString(inference_id) AS inference_id
                FROM inference_cache
               WHERE cache_key = {key:FixedString(64)} AND timestamp >= {since:DateTime64(3, 'UTC')}
               ORDER BY timestamp DESC LIMIT 1`,
      query_params: { key, since: toClickHouseTime(new Date(now - ttlSeconds * 1000)) },
      format: "JSONEachRow",
    });
    const [row] = await result.json<{
      output: string;
      input_tokens: number | string;
      output_tokens: number | string;
      inference_id: string;
    }>();
    if (!row) return undefined;
    return {
      output: JSON.parse(row.output) as ChatOutput,
      usage: { input_tokens: Number(row.input_tokens), output_tokens: Number(row.output_tokens) },
      inferenceId: row.inference_id,
    };
  } catch (error) {
    console.warn(`[llmops] gateway: cache lookup failed, treated as a miss: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
