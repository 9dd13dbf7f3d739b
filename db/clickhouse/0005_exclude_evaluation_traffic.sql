-- Evaluation runs (issue 15) send real traffic through the gateway, tagged llmops.evaluation_run
-- (judge calls too), and write their scores as feedback with the same tag. None of it is
-- production traffic: the rollups behind the functions & variants pages and the A/B results
-- leave it out from now on (rows already rolled up stay). The raw tables keep everything, so the
-- inference browser still shows evaluation inferences, by their tag.

DROP VIEW IF EXISTS inference_rollup_1m_mv ${ON_CLUSTER};

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
WHERE NOT mapContains(tags, 'llmops.evaluation_run')
GROUP BY function_name, variant_name, bucket;


DROP VIEW IF EXISTS inference_rollup_1h_mv ${ON_CLUSTER};

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
WHERE NOT mapContains(tags, 'llmops.evaluation_run')
GROUP BY function_name, variant_name, bucket;


DROP VIEW IF EXISTS feedback_rollup_1m_mv ${ON_CLUSTER};

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
WHERE kind IN ('float', 'boolean') AND NOT mapContains(tags, 'llmops.evaluation_run')
GROUP BY function_name, metric_name, variant_name, target_type, bucket;


DROP VIEW IF EXISTS feedback_rollup_1h_mv ${ON_CLUSTER};

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
WHERE kind IN ('float', 'boolean') AND NOT mapContains(tags, 'llmops.evaluation_run')
GROUP BY function_name, metric_name, variant_name, target_type, bucket;


DROP VIEW IF EXISTS feedback_by_metric_mv ${ON_CLUSTER};

CREATE MATERIALIZED VIEW IF NOT EXISTS feedback_by_metric_mv ${ON_CLUSTER} TO feedback_by_metric AS
SELECT function_name, metric_name, target_type, target_id, variant_name, value, timestamp
FROM feedback
WHERE kind IN ('float', 'boolean') AND NOT mapContains(tags, 'llmops.evaluation_run');
