-- Text search in the inference browser (issue 19): an n-gram bloom-filter skip index over the
-- lowercased input and output, joined by a NUL (a search text never holds one, so no match spans
-- both). Queries must use the same expression, `lowerUTF8(concat(input, '\0', output)) LIKE …`
-- (lib/inference/filter.ts), for ClickHouse to skip granules; searches are always time-bounded.
ALTER TABLE inferences ${ON_CLUSTER} ADD INDEX IF NOT EXISTS inference_text_ngram lowerUTF8(concat(input, '\0', output)) TYPE ngrambf_v1(3, 65536, 2, 0) GRANULARITY 1;
-- Builds the index for parts written before this migration (a background mutation; searches are
-- correct without it, only slower on those parts).
ALTER TABLE inferences ${ON_CLUSTER} MATERIALIZE INDEX inference_text_ngram;
