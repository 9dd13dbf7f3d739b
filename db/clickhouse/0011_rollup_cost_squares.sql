-- The hourly rollup keeps the sum of squares of each request's cost, so the A/B scorecard's cost
-- guardrail (a mean and its variance) reads the rollup instead of the raw log. cost_sq_rows counts
-- the requests squared: an hour rolled up before this file has fewer of them than inferences (none,
-- or some when the view changed within the hour), and the scorecard reads that hour's squares from
-- the raw log instead (lib/analytics/ab-queries.server.ts). No backfill, so nothing is counted twice
-- when several servers apply this file at once.
ALTER TABLE inference_rollup_1h ${ON_CLUSTER} ADD COLUMN IF NOT EXISTS cost_sq SimpleAggregateFunction(sum, Float64);

ALTER TABLE inference_rollup_1h ${ON_CLUSTER} ADD COLUMN IF NOT EXISTS cost_sq_rows SimpleAggregateFunction(sum, UInt64);

-- In place, so no insert between an old view and a new one is missed or rolled up twice. The cost
-- column is qualified: `cost` alone would be the alias of sum(cost) above.
ALTER TABLE inference_rollup_1h_mv ${ON_CLUSTER} MODIFY QUERY
SELECT
  function_name,
  variant_name,
  toStartOfHour(toDateTime(timestamp, 'UTC')) AS bucket,
  toUInt64(count()) AS inferences,
  toUInt64(countIf(status != 'ok')) AS errors,
  toUInt64(countIf(cached)) AS cache_hits,
  toUInt64(sum(input_tokens)) AS input_tokens,
  toUInt64(sum(output_tokens)) AS output_tokens,
  sum(cost) AS cost,
  toUInt64(sum(latency_ms)) AS latency_sum,
  sumMap(map(toUInt16(round(log(greatest(latency_ms, 1)) / log(1.03))), toUInt64(1))) AS latency,
  toUInt64(countIf(ttft_ms IS NOT NULL)) AS ttft_count,
  sumMapIf(map(toUInt16(round(log(greatest(assumeNotNull(ttft_ms), 1)) / log(1.03))), toUInt64(1)), ttft_ms IS NOT NULL) AS ttft,
  sum(inferences.cost * inferences.cost) AS cost_sq,
  toUInt64(count()) AS cost_sq_rows
FROM inferences
WHERE NOT mapContains(tags, 'llmops.evaluation_run')
GROUP BY function_name, variant_name, bucket;
