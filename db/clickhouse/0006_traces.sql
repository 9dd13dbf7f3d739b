-- Traces (MLflow 3 and OpenTelemetry): one row per span, a per-trace roll-up kept by a
-- materialized view for search, trace tags/metadata/run links as key rows, and the link from a
-- gateway inference to the span that made it (W3C traceparent). Columns: lib/traces/tables.ts.
CREATE TABLE IF NOT EXISTS spans ${ON_CLUSTER} (
  trace_id String,
  span_id String,
  parent_span_id String,
  experiment_id LowCardinality(String),
  name String,
  span_type LowCardinality(String),
  kind LowCardinality(String),
  start_time DateTime64(9, 'UTC'),
  end_time DateTime64(9, 'UTC'),
  status LowCardinality(String),
  status_message String,
  inputs String,
  outputs String,
  attributes Map(String, String),
  events String,
  service_name LowCardinality(String),
  model LowCardinality(String),
  input_tokens UInt32,
  output_tokens UInt32,
  cost Float64,
  session_id String,
  user_id String,
  ingested_at DateTime64(3, 'UTC')
) ENGINE = ${REPLICATED}ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(start_time)
ORDER BY (trace_id, span_id);

-- One row per trace once merged: rows come from every span insert (the view below) and from
-- clients' trace infos (StartTraceV3), and combine by min/max/sum. No partition: a trace's rows
-- may carry different times until they merge.
CREATE TABLE IF NOT EXISTS traces ${ON_CLUSTER} (
  experiment_id LowCardinality(String),
  trace_id String,
  start_time SimpleAggregateFunction(min, DateTime64(9, 'UTC')),
  end_time SimpleAggregateFunction(max, DateTime64(9, 'UTC')),
  span_count SimpleAggregateFunction(sum, UInt64),
  error_spans SimpleAggregateFunction(sum, UInt64),
  has_root SimpleAggregateFunction(max, UInt8),
  root_error SimpleAggregateFunction(max, UInt8),
  info_state SimpleAggregateFunction(max, UInt8),
  name SimpleAggregateFunction(max, String),
  request_preview SimpleAggregateFunction(max, String),
  response_preview SimpleAggregateFunction(max, String),
  input_tokens SimpleAggregateFunction(sum, UInt64),
  output_tokens SimpleAggregateFunction(sum, UInt64),
  cost SimpleAggregateFunction(sum, Float64),
  session_id SimpleAggregateFunction(max, String),
  user_id SimpleAggregateFunction(max, String),
  span_types SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
  span_names SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
  INDEX trace_id_idx trace_id TYPE bloom_filter GRANULARITY 4
) ENGINE = ${REPLICATED}AggregatingMergeTree
ORDER BY (experiment_id, trace_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS traces_from_spans_mv ${ON_CLUSTER} TO traces AS
SELECT
  experiment_id,
  trace_id,
  min(start_time) AS start_time,
  max(end_time) AS end_time,
  toUInt64(count()) AS span_count,
  toUInt64(countIf(status = 'ERROR')) AS error_spans,
  toUInt8(max(parent_span_id = '')) AS has_root,
  toUInt8(max(parent_span_id = '' AND status = 'ERROR')) AS root_error,
  toUInt8(0) AS info_state,
  max(if(parent_span_id = '', name, '')) AS name,
  max(if(parent_span_id = '', substring(inputs, 1, 10000), '')) AS request_preview,
  max(if(parent_span_id = '', substring(outputs, 1, 10000), '')) AS response_preview,
  sum(toUInt64(input_tokens)) AS input_tokens,
  sum(toUInt64(output_tokens)) AS output_tokens,
  sum(cost) AS cost,
  max(session_id) AS session_id,
  max(user_id) AS user_id,
  groupUniqArray(toString(span_type)) AS span_types,
  groupUniqArray(spans.name) AS span_names
FROM spans
GROUP BY experiment_id, trace_id;

-- Mutable trace tags (kind 'tag'), client metadata (kind 'metadata') and runs the trace is linked
-- to (kind 'run', key = run id): one row per key, the newest version wins, `deleted` removes it.
CREATE TABLE IF NOT EXISTS trace_tags ${ON_CLUSTER} (
  trace_id String,
  kind LowCardinality(String),
  key String,
  value String,
  deleted UInt8,
  version DateTime64(6, 'UTC')
) ENGINE = ${REPLICATED}ReplacingMergeTree(version, deleted)
ORDER BY (trace_id, kind, key);

-- The gateway records the W3C traceparent of a request on its inference (empty when none).
ALTER TABLE inferences ${ON_CLUSTER} ADD COLUMN IF NOT EXISTS trace_id String DEFAULT '';
ALTER TABLE inferences ${ON_CLUSTER} ADD COLUMN IF NOT EXISTS span_id String DEFAULT '';

CREATE TABLE IF NOT EXISTS inference_by_trace ${ON_CLUSTER} (
  trace_id String,
  span_id String,
  id UUID,
  episode_id UUID,
  function_name LowCardinality(String),
  variant_name LowCardinality(String),
  timestamp DateTime64(3, 'UTC')
) ENGINE = ${REPLICATED}MergeTree
ORDER BY (trace_id, timestamp, id);

CREATE MATERIALIZED VIEW IF NOT EXISTS inference_by_trace_mv ${ON_CLUSTER} TO inference_by_trace AS
SELECT trace_id, span_id, id, episode_id, function_name, variant_name, timestamp FROM inferences WHERE trace_id != '';
