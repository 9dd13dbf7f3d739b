-- The gateway's log: one row per inference, one per model call (every attempt, retries and
-- fallbacks included), one per piece of feedback, and the response cache. Rows are written in
-- batches by the gateway's recorder; nothing here is updated in place. Ids are UUIDv7, so their
-- order is their time order. Columns are documented in lib/inference/tables.ts.
CREATE TABLE IF NOT EXISTS inferences ${ON_CLUSTER} (
  id UUID,
  episode_id UUID,
  function_name LowCardinality(String),
  variant_name LowCardinality(String),
  model_name LowCardinality(String),
  provider_name LowCardinality(String),
  prompt_version String,
  input String,
  output String,
  input_tokens UInt32,
  output_tokens UInt32,
  cost Float64,
  latency_ms UInt32,
  ttft_ms Nullable(UInt32),
  status LowCardinality(String),
  error String,
  cached Bool,
  streamed Bool,
  tags Map(LowCardinality(String), String),
  timestamp DateTime64(3, 'UTC')
) ENGINE = ${REPLICATED}MergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (function_name, variant_name, timestamp, id);

-- Point lookups by inference id and by episode id (feedback targets, the inference page).
CREATE TABLE IF NOT EXISTS inference_by_id ${ON_CLUSTER} (
  id UUID,
  episode_id UUID,
  function_name LowCardinality(String),
  variant_name LowCardinality(String),
  timestamp DateTime64(3, 'UTC')
) ENGINE = ${REPLICATED}MergeTree
ORDER BY id;

CREATE MATERIALIZED VIEW IF NOT EXISTS inference_by_id_mv ${ON_CLUSTER} TO inference_by_id AS
SELECT id, episode_id, function_name, variant_name, timestamp FROM inferences;

CREATE TABLE IF NOT EXISTS inference_by_episode ${ON_CLUSTER} (
  episode_id UUID,
  id UUID,
  function_name LowCardinality(String),
  variant_name LowCardinality(String),
  timestamp DateTime64(3, 'UTC')
) ENGINE = ${REPLICATED}MergeTree
ORDER BY (episode_id, id);

CREATE MATERIALIZED VIEW IF NOT EXISTS inference_by_episode_mv ${ON_CLUSTER} TO inference_by_episode AS
SELECT episode_id, id, function_name, variant_name, timestamp FROM inferences;

CREATE TABLE IF NOT EXISTS model_calls ${ON_CLUSTER} (
  id UUID,
  inference_id UUID,
  attempt UInt16,
  function_name LowCardinality(String),
  variant_name LowCardinality(String),
  model_name LowCardinality(String),
  provider_name LowCardinality(String),
  request String,
  response String,
  input_tokens UInt32,
  output_tokens UInt32,
  cost Float64,
  latency_ms UInt32,
  ttft_ms Nullable(UInt32),
  status LowCardinality(String),
  error String,
  timestamp DateTime64(3, 'UTC')
) ENGINE = ${REPLICATED}MergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (inference_id, attempt);

CREATE TABLE IF NOT EXISTS feedback ${ON_CLUSTER} (
  id UUID,
  target_type LowCardinality(String),
  target_id UUID,
  function_name LowCardinality(String),
  variant_name LowCardinality(String),
  metric_name LowCardinality(String),
  kind LowCardinality(String),
  value Float64,
  text String,
  tags Map(LowCardinality(String), String),
  timestamp DateTime64(3, 'UTC')
) ENGINE = ${REPLICATED}MergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (function_name, metric_name, timestamp, id);

CREATE TABLE IF NOT EXISTS feedback_by_target ${ON_CLUSTER} (
  target_id UUID,
  id UUID,
  metric_name LowCardinality(String),
  kind LowCardinality(String),
  timestamp DateTime64(3, 'UTC')
) ENGINE = ${REPLICATED}MergeTree
ORDER BY (target_id, id);

CREATE MATERIALIZED VIEW IF NOT EXISTS feedback_by_target_mv ${ON_CLUSTER} TO feedback_by_target AS
SELECT target_id, id, metric_name, kind, timestamp FROM feedback;

CREATE TABLE IF NOT EXISTS inference_cache ${ON_CLUSTER} (
  cache_key FixedString(64),
  function_name LowCardinality(String),
  variant_name LowCardinality(String),
  model_name LowCardinality(String),
  output String,
  input_tokens UInt32,
  output_tokens UInt32,
  inference_id UUID,
  timestamp DateTime64(3, 'UTC')
) ENGINE = ${REPLICATED}ReplacingMergeTree(timestamp)
ORDER BY cache_key
TTL toDateTime(timestamp) + INTERVAL 30 DAY;
