-- MLflow clients expect experiment 0, named "Default", to exist from the start (custom migration:
-- data, not schema). Idempotent, so a database that already has it is left alone.
INSERT INTO "experiments" ("experiment_id", "name", "artifact_location", "lifecycle_stage", "creation_time", "last_update_time")
VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', (extract(epoch from now()) * 1000)::bigint, (extract(epoch from now()) * 1000)::bigint)
ON CONFLICT DO NOTHING;
