-- The end user an OpenAI client names in `user` (chat completions, responses, embeddings), kept
-- on each inference so the inference browser can filter by it ('' when none was sent). Named
-- end_user: `user` is also a ClickHouse function. Rows written before this column read as ''.
ALTER TABLE inferences ${ON_CLUSTER} ADD COLUMN IF NOT EXISTS end_user String DEFAULT '';
