CREATE TABLE "data_deletions" (
	"id" text PRIMARY KEY NOT NULL,
	"selector" jsonb NOT NULL,
	"dry_run" boolean NOT NULL,
	"actor" text DEFAULT '' NOT NULL,
	"counts" jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
