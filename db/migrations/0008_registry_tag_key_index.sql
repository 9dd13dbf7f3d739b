DROP INDEX "registered_model_tags_key_value_idx";--> statement-breakpoint
CREATE INDEX "registered_model_tags_key_idx" ON "registered_model_tags" USING btree ("key");