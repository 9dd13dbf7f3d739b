-- The episode of each feedback row, denormalised at write time like its function and variant
-- (lib/gateway/feedback.server.ts reads it with the target), so the A/B statistics group an
-- inference-level metric by episode without joining the inference log. Rows written before this
-- column (and writers that do not know the episode) read the default: the target itself for
-- feedback on an episode, the zero UUID otherwise; the A/B query looks those up in inference_by_id.
ALTER TABLE feedback ${ON_CLUSTER} ADD COLUMN IF NOT EXISTS episode_id UUID DEFAULT if(target_type = 'episode', target_id, toUUID('00000000-0000-0000-0000-000000000000'));

ALTER TABLE feedback_by_metric ${ON_CLUSTER} ADD COLUMN IF NOT EXISTS episode_id UUID DEFAULT if(target_type = 'episode', target_id, toUUID('00000000-0000-0000-0000-000000000000'));

-- The new view is created before the old one is dropped, so no insert in between is missed; a row
-- written through both lands twice with the same key and version, which FINAL reads as one.
CREATE MATERIALIZED VIEW IF NOT EXISTS feedback_by_metric_episode_mv ${ON_CLUSTER} TO feedback_by_metric AS
SELECT function_name, metric_name, target_type, target_id, episode_id, variant_name, value, timestamp
FROM feedback
WHERE kind IN ('float', 'boolean') AND NOT mapContains(tags, 'llmops.evaluation_run');

DROP VIEW IF EXISTS feedback_by_metric_mv ${ON_CLUSTER};
