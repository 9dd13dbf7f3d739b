-- Rollups of the gateway's log for the functions & variants pages and the A/B results, kept by
-- materialized views as rows arrive (nothing reads the raw tables for these pages unless a tag
-- filter is set). Per (function, variant) and minute, and again per hour for long ranges.
-- Counts and sums are SimpleAggregateFunction(sum). Latency and TTFT are kept as log-scale
-- histograms (bin b counts values that round to 1.03^b ms, so a percentile read from merged bins
-- is within 1.5% of the exact one); merging them is a sum of maps, several times cheaper than
-- merging t-digest states. Readers: lib/analytics/queries.server.ts.
CREATE TABLE IF NOT EXISTS inference_rollup_1m ${ON_CLUSTER} (
  function_name LowCardinality(String),
  variant_name LowCardinality(String),
  bucket DateTime('UTC'),
  inferences SimpleAggregateFunction(sum, UInt64),
  errors SimpleAggregateFunction(sum, UInt64),
  cache_hits SimpleAggregateFunction(sum, UInt64),
  input_tokens SimpleAggregateFunction(sum, UInt64),
  output_tokens SimpleAggregateFunction(sum, UInt64),
  cost SimpleAggregateFunction(sum, Float64),
  latency_sum SimpleAggregateFunction(sum, UInt64),
  latency SimpleAggregateFunction(sumMap, Map(UInt16, UInt64)),
  ttft_count SimpleAggregateFunction(sum, UInt64),
  ttft SimpleAggregateFunction(sumMap, Map(UInt16, UInt64))
) ENGINE = ${REPLICATED}AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (function_name, variant_name, bucket);

CREATE MATERIALIZED VIEW IF NOT EXISTS inference_rollup_1m_mv ${ON_CLUSTER} TO inference_rollup_1m AS
SELECT
  function_name,
  variant_name,
  toStartOfMinute(toDateTime(timestamp, 'UTC')) AS bucket,
  toUInt64(count()) AS inferences,
  toUInt64(countIf(status != 'ok')) AS errors,
  toUInt64(countIf(cached)) AS cache_hits,
  toUInt64(sum(input_tokens)) AS input_tokens,
  toUInt64(sum(output_tokens)) AS output_tokens,
  sum(cost) AS cost,
  toUInt64(sum(latency_ms)) AS latency_sum,
  sumMap(map(toUInt16(round(log(greatest(latency_ms, 1)) / log(1.03))), toUInt64(1))) AS latency,
  toUInt64(countIf(ttft_ms IS NOT NULL)) AS ttft_count,
  sumMapIf(map(toUInt16(round(log(greatest(assumeNotNull(ttft_ms), 1)) / log(1.03))), toUInt64(1)), ttft_ms IS NOT NULL) AS ttft
FROM inferences
GROUP BY function_name, variant_name, bucket;

CREATE TABLE IF NOT EXISTS inference_rollup_1h ${ON_CLUSTER} (
  function_name LowCardinality(String),
  variant_name LowCardinality(String),
  bucket DateTime('UTC'),
  inferences SimpleAggregateFunction(sum, UInt64),
  errors SimpleAggregateFunction(sum, UInt64),
  cache_hits SimpleAggregateFunction(sum, UInt64),
  input_tokens SimpleAggregateFunction(sum, UInt64),
  output_tokens SimpleAggregateFunction(sum, UInt64),
  cost SimpleAggregateFunction(sum, Float64),
  latency_sum SimpleAggregateFunction(sum, UInt64),
  latency SimpleAggregateFunction(sumMap, Map(UInt16, UInt64)),
  ttft_count SimpleAggregateFunction(sum, UInt64),
  ttft SimpleAggregateFunction(sumMap, Map(UInt16, UInt64))
) ENGINE = ${REPLICATED}AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (function_name, variant_name, bucket);

CREATE MATERIALIZED VIEW IF NOT EXISTS inference_rollup_1h_mv ${ON_CLUSTER} TO inference_rollup_1h AS
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
  sumMapIf(map(toUInt16(round(log(greatest(assumeNotNull(ttft_ms), 1)) / log(1.03))), toUInt64(1)), ttft_ms IS NOT NULL) AS ttft
FROM inferences
GROUP BY function_name, variant_name, bucket;

-- Float and boolean feedback per (function, metric, variant, target type) and minute/hour: count,
-- how many were booleans, sum and sum of squares: means, rates and variances of any bucket, and
-- each metric's kind and level for functions nothing declares.
CREATE TABLE IF NOT EXISTS feedback_rollup_1m ${ON_CLUSTER} (
  function_name LowCardinality(String),
  metric_name LowCardinality(String),
  variant_name LowCardinality(String),
  target_type LowCardinality(String),
  bucket DateTime('UTC'),
  n SimpleAggregateFunction(sum, UInt64),
  booleans SimpleAggregateFunction(sum, UInt64),
  sum SimpleAggregateFunction(sum, Float64),
  sum_sq SimpleAggregateFunction(sum, Float64)
) ENGINE = ${REPLICATED}AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (function_name, metric_name, variant_name, target_type, bucket);

CREATE MATERIALIZED VIEW IF NOT EXISTS feedback_rollup_1m_mv ${ON_CLUSTER} TO feedback_rollup_1m AS
SELECT
  function_name,
  metric_name,
  variant_name,
  target_type,
  toStartOfMinute(toDateTime(timestamp, 'UTC')) AS bucket,
  toUInt64(count()) AS n,
  toUInt64(countIf(kind = 'boolean')) AS booleans,
  sum(value) AS sum,
  sum(value * value) AS sum_sq
FROM feedback
WHERE kind IN ('float', 'boolean')
GROUP BY function_name, metric_name, variant_name, target_type, bucket;

CREATE TABLE IF NOT EXISTS feedback_rollup_1h ${ON_CLUSTER} (
  function_name LowCardinality(String),
  metric_name LowCardinality(String),
  variant_name LowCardinality(String),
  target_type LowCardinality(String),
  bucket DateTime('UTC'),
  n SimpleAggregateFunction(sum, UInt64),
  booleans SimpleAggregateFunction(sum, UInt64),
  sum SimpleAggregateFunction(sum, Float64),
  sum_sq SimpleAggregateFunction(sum, Float64)
) ENGINE = ${REPLICATED}AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (function_name, metric_name, variant_name, target_type, bucket);

CREATE MATERIALIZED VIEW IF NOT EXISTS feedback_rollup_1h_mv ${ON_CLUSTER} TO feedback_rollup_1h AS
SELECT
  function_name,
  metric_name,
  variant_name,
  target_type,
  toStartOfHour(toDateTime(timestamp, 'UTC')) AS bucket,
  toUInt64(count()) AS n,
  toUInt64(countIf(kind = 'boolean')) AS booleans,
  sum(value) AS sum,
  sum(value * value) AS sum_sq
FROM feedback
WHERE kind IN ('float', 'boolean')
GROUP BY function_name, metric_name, variant_name, target_type, bucket;

-- The latest value per feedback target and metric, for the A/B results: a target counts once
-- (repeated feedback replaces, it does not add weight). Rows collapse on merge; readers still
-- take argMax per target, so unmerged duplicates never count twice.
CREATE TABLE IF NOT EXISTS feedback_by_metric ${ON_CLUSTER} (
  function_name LowCardinality(String),
  metric_name LowCardinality(String),
  target_type LowCardinality(String),
  target_id UUID,
  variant_name LowCardinality(String),
  value Float64,
  timestamp DateTime64(3, 'UTC')
) ENGINE = ${REPLICATED}ReplacingMergeTree(timestamp)
PARTITION BY tuple()
ORDER BY (function_name, metric_name, target_type, target_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS feedback_by_metric_mv ${ON_CLUSTER} TO feedback_by_metric AS
SELECT function_name, metric_name, target_type, target_id, variant_name, value, timestamp
FROM feedback
WHERE kind IN ('float', 'boolean');
