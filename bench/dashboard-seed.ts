import type { ClickHouseClient } from "@clickhouse/client";

/**
 * Synthetic gateway traffic generated inside ClickHouse (INSERT … SELECT FROM numbers()), written
 * through the real `inferences` and `feedback` tables so that the materialized views of 0004 fill
 * the rollups exactly as live traffic does. Three functions with two variants each (50/50), every
 * third inference starting a new episode, spread over `days` ending at `now`; variant B of
 * "summarize" is slower and more often judged helpful, so A/B pages have something to find.
 */
export interface SeedOptions {
  inferences: number;
  days: number;
  now: number;
  /** Rows per INSERT (bounds the memory of each statement). */
  chunk?: number;
  /** Share of inferences that get `helpful` feedback (boolean, inference level). */
  feedbackShare?: number;
}

export async function seedTraffic(client: ClickHouseClient, o: SeedOptions): Promise<void> {
  const chunk = o.chunk ?? 1_000_000;
  const span = o.days * 86_400_000;
  for (let offset = 0; offset < o.inferences; offset += chunk) {
    const rows = Math.min(chunk, o.inferences - offset);
    await client.command({
      // Columns named: the log has gained columns since (defaults fill them), and their order is the table's business.
      query: `INSERT INTO inferences (id, episode_id, function_name, variant_name, model_name, provider_name, prompt_version, input,
          output, input_tokens, output_tokens, cost, latency_ms, ttft_ms, status, error, cached, streamed, tags, timestamp)
        SELECT
          generateUUIDv7(number) AS id,
          toUUID(concat('0193a5b0-0000-7000-8000-', leftPad(lower(hex(intDiv(n, 3))), 12, '0'))) AS episode_id,
          ['summarize', 'extract', 'classify'][1 + intDiv(n, 3) % 3] AS function_name,
          if(cityHash64(intDiv(n, 3)) % 2 = 0, 'A', 'B') AS variant_name,
          if(variant_name = 'A', 'gpt-small', 'gpt-large') AS model_name,
          'dummy' AS provider_name,
          '' AS prompt_version,
          concat('{"messages":[{"role":"user","content":"question ', toString(n), '"}]}') AS input,
          concat('{"content":"answer ', toString(n), '"}') AS output,
          toUInt32(20 + n % 400) AS input_tokens,
          toUInt32(10 + (n * 7) % 300) AS output_tokens,
          (input_tokens * 0.5 + output_tokens * 1.5) / 1e6 AS cost,
          toUInt32(150 + (cityHash64(n, 1) % 1200) + if(variant_name = 'B', 120, 0)) AS latency_ms,
          if(n % 2 = 0, NULL, toUInt32(40 + cityHash64(n, 2) % 300)) AS ttft_ms,
          if(cityHash64(n, 3) % 50 = 0, 'error', 'ok') AS status,
          if(status = 'error', 'upstream 500', '') AS error,
          cityHash64(n, 4) % 10 = 0 AS cached,
          n % 2 = 1 AS streamed,
          map('user', concat('u', toString(n % 100)), 'env', if(n % 4 = 0, 'staging', 'prod')) AS tags,
          fromUnixTimestamp64Milli(toInt64({now:Int64} - cityHash64(n, 5) % {span:UInt64}), 'UTC') AS timestamp
        FROM (SELECT number + {offset:UInt64} AS n, number FROM numbers({rows:UInt64}))`,
      query_params: { now: o.now, span, offset, rows },
    });
  }
  const share = Math.round((o.feedbackShare ?? 0.3) * 1000);
  await client.command({
    // Columns are qualified: the alias `id` (the feedback's own id) would shadow the inference's.
    // The episode is written with each row, as the gateway's feedback endpoint writes it.
    query: `INSERT INTO feedback (id, target_type, target_id, function_name, variant_name, episode_id, metric_name, kind, value, text, tags, timestamp)
      SELECT generateUUIDv7(cityHash64(i.id)) AS id, 'inference' AS target_type, i.id AS target_id, function_name, variant_name,
        i.episode_id AS episode_id, 'helpful' AS metric_name, 'boolean' AS kind,
        toFloat64(cityHash64(i.id, 7) % 1000 < if(variant_name = 'B' AND function_name = 'summarize', 640, 600)) AS value,
        '' AS text, map('llmops.source', 'demo') AS tags, timestamp + toIntervalSecond(30) AS timestamp
      FROM inferences AS i WHERE cityHash64(i.id, 6) % 1000 < {share:UInt32} AND status = 'ok'`,
    query_params: { share },
  });
}
