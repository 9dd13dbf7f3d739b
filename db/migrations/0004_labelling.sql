CREATE TABLE "label_claims" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "label_claims_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"queue_id" text NOT NULL,
	"item_id" bigint NOT NULL,
	"reviewer" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"claimed_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"completed_at" bigint
);
--> statement-breakpoint
CREATE TABLE "label_dataset_items" (
	"version_id" text NOT NULL,
	"position" integer NOT NULL,
	"inference_id" text NOT NULL,
	"input" text NOT NULL,
	"expected_output" text NOT NULL,
	"labels" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "label_dataset_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"dataset_id" text NOT NULL,
	"version" integer NOT NULL,
	"digest" text NOT NULL,
	"queue_id" text,
	"item_count" integer NOT NULL,
	"mlflow_dataset_uuid" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "label_datasets" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "label_datasets_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "label_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "label_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"queue_id" text NOT NULL,
	"position" integer NOT NULL,
	"inference_id" text NOT NULL,
	"episode_id" text NOT NULL,
	"function_name" text NOT NULL,
	"variant_name" text NOT NULL,
	"model_name" text DEFAULT '' NOT NULL,
	"input" text NOT NULL,
	"output" text NOT NULL,
	"inference_time" text NOT NULL,
	"open_claims" integer DEFAULT 0 NOT NULL,
	"done_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "label_queues" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"source" jsonb NOT NULL,
	"fields" jsonb NOT NULL,
	"overlap" integer DEFAULT 1 NOT NULL,
	"reviewers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"claim_timeout_seconds" integer DEFAULT 600 NOT NULL,
	"blind" boolean DEFAULT true NOT NULL,
	"item_count" integer NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "label_queues_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "labels" (
	"id" text PRIMARY KEY NOT NULL,
	"queue_id" text NOT NULL,
	"item_id" bigint NOT NULL,
	"claim_id" bigint NOT NULL,
	"reviewer" text NOT NULL,
	"field" text NOT NULL,
	"value" jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "label_claims" ADD CONSTRAINT "label_claims_queue_id_label_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."label_queues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_claims" ADD CONSTRAINT "label_claims_item_id_label_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."label_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_dataset_items" ADD CONSTRAINT "label_dataset_items_version_id_label_dataset_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."label_dataset_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_dataset_versions" ADD CONSTRAINT "label_dataset_versions_dataset_id_label_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."label_datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_dataset_versions" ADD CONSTRAINT "label_dataset_versions_queue_id_label_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."label_queues"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_items" ADD CONSTRAINT "label_items_queue_id_label_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."label_queues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "labels" ADD CONSTRAINT "labels_queue_id_label_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."label_queues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "labels" ADD CONSTRAINT "labels_item_id_label_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."label_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "labels" ADD CONSTRAINT "labels_claim_id_label_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."label_claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "label_claims_item_reviewer_live_key" ON "label_claims" USING btree ("item_id","reviewer") WHERE status in ('active', 'done');--> statement-breakpoint
CREATE INDEX "label_claims_item_reviewer_idx" ON "label_claims" USING btree ("item_id","reviewer");--> statement-breakpoint
CREATE INDEX "label_claims_queue_status_idx" ON "label_claims" USING btree ("queue_id","status","expires_at");--> statement-breakpoint
CREATE INDEX "label_claims_queue_reviewer_idx" ON "label_claims" USING btree ("queue_id","reviewer","completed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "label_dataset_items_version_position_key" ON "label_dataset_items" USING btree ("version_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "label_dataset_versions_dataset_version_key" ON "label_dataset_versions" USING btree ("dataset_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "label_dataset_versions_dataset_digest_key" ON "label_dataset_versions" USING btree ("dataset_id","digest");--> statement-breakpoint
CREATE UNIQUE INDEX "label_items_queue_inference_key" ON "label_items" USING btree ("queue_id","inference_id");--> statement-breakpoint
CREATE INDEX "label_items_queue_open_idx" ON "label_items" USING btree ("queue_id","open_claims","position");--> statement-breakpoint
CREATE UNIQUE INDEX "labels_claim_field_key" ON "labels" USING btree ("claim_id","field");--> statement-breakpoint
CREATE INDEX "labels_queue_field_idx" ON "labels" USING btree ("queue_id","field");