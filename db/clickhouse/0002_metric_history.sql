-- Every logged point of every run metric (MLflow's metric history). Postgres keeps only each
-- run's latest value per key; history reads (get-history, bulk-interval) come from here, so runs
-- with millions of steps stay fast. A point is (run, key, step, timestamp, value): logging the
-- same point twice is collapsed by the engine in the background and by DISTINCT at read time.
CREATE TABLE IF NOT EXISTS metric_history ${ON_CLUSTER} (
  run_id String,
  key LowCardinality(String),
  value Float64,
  timestamp Int64,
  step Int64,
  logged_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ${REPLICATED}ReplacingMergeTree
ORDER BY (run_id, key, step, timestamp, value);
