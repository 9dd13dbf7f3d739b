CREATE TABLE "evaluation_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "evaluation_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" text NOT NULL,
	"candidate" text NOT NULL,
	"item_position" integer NOT NULL,
	"repetition" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"lease_owner" text,
	"lease_token" text,
	"lease_until" bigint,
	"attempts" integer DEFAULT 0 NOT NULL,
	"inference_id" text,
	"variant_name" text,
	"prompt_version" text,
	"output" text,
	"latency_ms" integer,
	"cost" double precision,
	"scores" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"passed" boolean,
	"error" text,
	"finished_at" bigint
);
--> statement-breakpoint
CREATE TABLE "evaluation_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"function_name" text NOT NULL,
	"dataset_version_id" text,
	"candidates" jsonb NOT NULL,
	"evaluators" jsonb NOT NULL,
	"thresholds" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"repetitions" integer DEFAULT 1 NOT NULL,
	"concurrency" integer DEFAULT 8 NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"source" text DEFAULT 'native' NOT NULL,
	"total" integer NOT NULL,
	"experiment_id" bigint,
	"mlflow_run_ids" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"summary" jsonb,
	"error" text,
	"created_at" bigint NOT NULL,
	"started_at" bigint,
	"finished_at" bigint
);
--> statement-breakpoint
CREATE TABLE "gate_decisions" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"alias" text NOT NULL,
	"version" integer NOT NULL,
	"verdict" text NOT NULL,
	"surface" text NOT NULL,
	"actor" text DEFAULT '' NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"evidence" jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gate_policies" (
	"id" text PRIMARY KEY NOT NULL,
	"target_kind" text NOT NULL,
	"target_name" text NOT NULL,
	"alias" text NOT NULL,
	"mode" text DEFAULT 'enforce' NOT NULL,
	"function_name" text NOT NULL,
	"dataset_name" text NOT NULL,
	"conditions" jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
DROP INDEX "label_dataset_items_version_position_key";--> statement-breakpoint
DROP INDEX "label_dataset_versions_dataset_version_key";--> statement-breakpoint
DROP INDEX "label_dataset_versions_dataset_digest_key";--> statement-breakpoint
ALTER TABLE "dataset_items" ALTER COLUMN "inference_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_items" ALTER COLUMN "expected_output" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_items" ALTER COLUMN "labels" SET DEFAULT '{}'::jsonb;--> statement-breakpoint
ALTER TABLE "dataset_items" ADD COLUMN "context" text;--> statement-breakpoint
ALTER TABLE "dataset_items" ADD COLUMN "assertions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_items" ADD COLUMN "tags" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD COLUMN "source" jsonb DEFAULT '{"kind":"queue"}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "evaluation_items" ADD CONSTRAINT "evaluation_items_run_id_evaluation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."evaluation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_runs" ADD CONSTRAINT "evaluation_runs_dataset_version_id_dataset_versions_id_fk" FOREIGN KEY ("dataset_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_items_unit_key" ON "evaluation_items" USING btree ("run_id","candidate","item_position","repetition");--> statement-breakpoint
CREATE INDEX "evaluation_items_run_status_idx" ON "evaluation_items" USING btree ("run_id","status","id");--> statement-breakpoint
CREATE INDEX "evaluation_runs_status_idx" ON "evaluation_runs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "evaluation_runs_dataset_idx" ON "evaluation_runs" USING btree ("dataset_version_id");--> statement-breakpoint
CREATE INDEX "gate_decisions_name_idx" ON "gate_decisions" USING btree ("name","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "gate_policies_target_key" ON "gate_policies" USING btree ("target_kind","target_name","alias");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_items_version_position_key" ON "dataset_items" USING btree ("version_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_versions_dataset_version_key" ON "dataset_versions" USING btree ("dataset_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_versions_dataset_digest_key" ON "dataset_versions" USING btree ("dataset_id","digest");