CREATE TABLE "runtime_eval_jobs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "runtime_eval_jobs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"function_name" text NOT NULL,
	"inference_id" text NOT NULL,
	"inference_at" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"lease_owner" text,
	"lease_token" text,
	"lease_until" bigint,
	"attempts" integer DEFAULT 0 NOT NULL,
	"not_before" bigint NOT NULL,
	"scores" integer DEFAULT 0 NOT NULL,
	"judge_calls" integer DEFAULT 0 NOT NULL,
	"judge_cost" double precision DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" bigint NOT NULL,
	"finished_at" bigint
);
--> statement-breakpoint
CREATE TABLE "runtime_eval_windows" (
	"function_name" text NOT NULL,
	"bucket" bigint NOT NULL,
	"seen" integer DEFAULT 0 NOT NULL,
	"sampled" integer DEFAULT 0 NOT NULL,
	"shed" integer DEFAULT 0 NOT NULL,
	"effective_rate" double precision NOT NULL,
	CONSTRAINT "runtime_eval_windows_function_name_bucket_pk" PRIMARY KEY("function_name","bucket")
);
--> statement-breakpoint
CREATE TABLE "data_deletions" (
	"id" text PRIMARY KEY NOT NULL,
	"selector" jsonb NOT NULL,
	"dry_run" boolean NOT NULL,
	"actor" text DEFAULT '' NOT NULL,
	"counts" jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "runtime_eval_jobs_inference_key" ON "runtime_eval_jobs" USING btree ("inference_id");--> statement-breakpoint
CREATE INDEX "runtime_eval_jobs_claim_idx" ON "runtime_eval_jobs" USING btree ("status","not_before","id");--> statement-breakpoint
CREATE INDEX "runtime_eval_jobs_function_idx" ON "runtime_eval_jobs" USING btree ("function_name","status","created_at");