CREATE TABLE "model_version_tags" (
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "model_version_tags_name_version_key_pk" PRIMARY KEY("name","version","key")
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"description" text,
	"user_id" text,
	"current_stage" text DEFAULT 'None' NOT NULL,
	"source" text,
	"run_id" text,
	"run_link" text,
	"status" text DEFAULT 'READY' NOT NULL,
	"status_message" text,
	"creation_time" bigint NOT NULL,
	"last_updated_time" bigint NOT NULL,
	CONSTRAINT "model_versions_name_version_pk" PRIMARY KEY("name","version")
);
--> statement-breakpoint
CREATE TABLE "registered_model_aliases" (
	"name" text NOT NULL,
	"alias" text NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "registered_model_aliases_name_alias_pk" PRIMARY KEY("name","alias")
);
--> statement-breakpoint
CREATE TABLE "registered_model_tags" (
	"name" text NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "registered_model_tags_name_key_pk" PRIMARY KEY("name","key")
);
--> statement-breakpoint
CREATE TABLE "registered_models" (
	"name" text PRIMARY KEY NOT NULL,
	"description" text,
	"creation_time" bigint NOT NULL,
	"last_updated_time" bigint NOT NULL,
	"last_version" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lineage_edges" (
	"src_kind" text NOT NULL,
	"src_id" text NOT NULL,
	"relation" text NOT NULL,
	"dst_kind" text NOT NULL,
	"dst_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "lineage_edges_src_kind_src_id_relation_dst_kind_dst_id_pk" PRIMARY KEY("src_kind","src_id","relation","dst_kind","dst_id")
);
--> statement-breakpoint
ALTER TABLE "model_version_tags" ADD CONSTRAINT "model_version_tags_name_version_model_versions_name_version_fk" FOREIGN KEY ("name","version") REFERENCES "public"."model_versions"("name","version") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_name_registered_models_name_fk" FOREIGN KEY ("name") REFERENCES "public"."registered_models"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "registered_model_aliases" ADD CONSTRAINT "registered_model_aliases_name_registered_models_name_fk" FOREIGN KEY ("name") REFERENCES "public"."registered_models"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "registered_model_aliases" ADD CONSTRAINT "registered_model_aliases_name_version_model_versions_name_version_fk" FOREIGN KEY ("name","version") REFERENCES "public"."model_versions"("name","version") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "registered_model_tags" ADD CONSTRAINT "registered_model_tags_name_registered_models_name_fk" FOREIGN KEY ("name") REFERENCES "public"."registered_models"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "model_versions_run_id_idx" ON "model_versions" USING btree ("run_id") WHERE "model_versions"."run_id" is not null;--> statement-breakpoint
CREATE INDEX "registered_model_tags_key_value_idx" ON "registered_model_tags" USING btree ("key","value");--> statement-breakpoint
CREATE INDEX "lineage_edges_dst_idx" ON "lineage_edges" USING btree ("dst_kind","dst_id");