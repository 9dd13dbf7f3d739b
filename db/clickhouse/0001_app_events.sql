-- Lifecycle events of app servers (start, stop, flushes): which instances ran, on what version,
-- and when. Append-only; kept 90 days.
CREATE TABLE IF NOT EXISTS app_events ${ON_CLUSTER} (
  ts DateTime64(3, 'UTC') DEFAULT now64(3),
  instance_id String,
  kind LowCardinality(String),
  app_version LowCardinality(String),
  detail String DEFAULT ''
) ENGINE = ${REPLICATED}MergeTree
ORDER BY (kind, ts)
TTL toDateTime(ts) + INTERVAL 90 DAY;
