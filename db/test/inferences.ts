import type { ClickHouseClient } from "@clickhouse/client";
import { toClickHouseTime, type InferenceRow } from "@/lib/inference/tables";

/**
 * Inserts `count` inferences into the gateway's log, as the gateway writes them, for tests that
 * read it (labelling queues). Ids are UUIDv7-shaped and ordered by time; variants alternate.
 */
export async function insertTestInferences(
  client: ClickHouseClient,
  options: { count: number; functionName?: string; variants?: string[]; start?: Date; tags?: Record<string, string>; idPrefix?: string },
): Promise<InferenceRow[]> {
  const variants = options.variants ?? ["concise", "detailed"];
  const start = options.start?.getTime() ?? Date.parse("2026-11-01T10:00:00Z");
  const prefix = options.idPrefix ?? "0193a5b0";
  const rows: InferenceRow[] = Array.from({ length: options.count }, (_, i) => {
    const hex = i.toString(16).padStart(12, "0");
    return {
      id: `${prefix}-0000-7000-8000-${hex}`,
      episode_id: `${prefix}-0000-7000-9000-${hex}`,
      function_name: options.functionName ?? "summarize",
      variant_name: variants[i % variants.length]!,
      model_name: "dummy-model",
      provider_name: "dummy",
      prompt_version: "",
      input: JSON.stringify({ messages: [{ role: "user", content: `Summarise document ${i}` }] }),
      output: JSON.stringify({ content: `Summary ${i}` }),
      input_tokens: 10,
      output_tokens: 3,
      cost: 0,
      latency_ms: 20,
      ttft_ms: null,
      status: "ok",
      error: "",
      cached: false,
      streamed: false,
      tags: { batch: String(i % 3), ...options.tags },
      timestamp: toClickHouseTime(new Date(start + i * 1000)),
    };
  });
  for (let offset = 0; offset < rows.length; offset += 1000) {
    await client.insert({ table: "inferences", values: rows.slice(offset, offset + 1000), format: "JSONEachRow" });
  }
  return rows;
}
