-- Guardrail verdicts of each inference (lib/guardrails): which check ran on the input or the
-- output, in which mode, what it found (counts or a reason, never the matched text) and how long
-- it took. Written with the inference's row, so the recorder's spool and replay cover them; rows
-- of inferences without guardrails (and rows written before this column) hold an empty array.
ALTER TABLE inferences ${ON_CLUSTER} ADD COLUMN IF NOT EXISTS guardrails Array(Tuple(name String, kind LowCardinality(String), stage LowCardinality(String), mode LowCardinality(String), outcome LowCardinality(String), detail String, duration_ms Float64)) DEFAULT [];
