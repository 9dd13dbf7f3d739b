CREATE TABLE "logged_model_metrics" (
	"model_id" text NOT NULL,
	"key" text NOT NULL,
	"dataset_name" text DEFAULT '' NOT NULL,
	"dataset_digest" text DEFAULT '' NOT NULL,
	"run_id" text DEFAULT '' NOT NULL,
	"value" double precision NOT NULL,
	"timestamp" bigint NOT NULL,
	"step" bigint NOT NULL,
	CONSTRAINT "logged_model_metrics_model_id_key_dataset_name_dataset_digest_run_id_pk" PRIMARY KEY("model_id","key","dataset_name","dataset_digest","run_id")
);
--> statement-breakpoint
CREATE TABLE "logged_model_params" (
	"model_id" text NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "logged_model_params_model_id_key_pk" PRIMARY KEY("model_id","key")
);
--> statement-breakpoint
CREATE TABLE "logged_model_tags" (
	"model_id" text NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "logged_model_tags_model_id_key_pk" PRIMARY KEY("model_id","key")
);
--> statement-breakpoint
CREATE TABLE "logged_models" (
	"model_id" text PRIMARY KEY NOT NULL,
	"experiment_id" bigint NOT NULL,
	"name" text NOT NULL,
	"artifact_location" text NOT NULL,
	"creation_time" bigint NOT NULL,
	"last_updated_time" bigint NOT NULL,
	"model_type" text,
	"source_run_id" text,
	"status" text DEFAULT 'LOGGED_MODEL_PENDING' NOT NULL,
	"status_message" text,
	"lifecycle_stage" text DEFAULT 'active' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_model_inputs" (
	"run_id" text NOT NULL,
	"model_id" text NOT NULL,
	CONSTRAINT "run_model_inputs_run_id_model_id_pk" PRIMARY KEY("run_id","model_id")
);
--> statement-breakpoint
CREATE TABLE "run_model_outputs" (
	"run_id" text NOT NULL,
	"model_id" text NOT NULL,
	"step" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "run_model_outputs_run_id_model_id_pk" PRIMARY KEY("run_id","model_id")
);
--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "model_id" text;--> statement-breakpoint
ALTER TABLE "logged_model_metrics" ADD CONSTRAINT "logged_model_metrics_model_id_logged_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."logged_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "logged_model_params" ADD CONSTRAINT "logged_model_params_model_id_logged_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."logged_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "logged_model_tags" ADD CONSTRAINT "logged_model_tags_model_id_logged_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."logged_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "logged_models" ADD CONSTRAINT "logged_models_experiment_id_experiments_experiment_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("experiment_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_model_inputs" ADD CONSTRAINT "run_model_inputs_run_id_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_model_inputs" ADD CONSTRAINT "run_model_inputs_model_id_logged_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."logged_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_model_outputs" ADD CONSTRAINT "run_model_outputs_run_id_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_model_outputs" ADD CONSTRAINT "run_model_outputs_model_id_logged_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."logged_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "logged_model_metrics_key_value_idx" ON "logged_model_metrics" USING btree ("key","value");--> statement-breakpoint
CREATE INDEX "logged_models_experiment_created_idx" ON "logged_models" USING btree ("experiment_id","creation_time" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "logged_models_source_run_idx" ON "logged_models" USING btree ("source_run_id");--> statement-breakpoint
CREATE INDEX "run_model_inputs_model_idx" ON "run_model_inputs" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "run_model_outputs_model_idx" ON "run_model_outputs" USING btree ("model_id");