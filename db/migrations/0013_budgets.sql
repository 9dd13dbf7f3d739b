CREATE TABLE "budget_counters" (
	"limit_name" text NOT NULL,
	"subject" text NOT NULL,
	"period" text NOT NULL,
	"window_start" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	"cost" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "budget_counters_limit_name_subject_period_window_start_pk" PRIMARY KEY("limit_name","subject","period","window_start")
);
--> statement-breakpoint
CREATE INDEX "budget_counters_expires_idx" ON "budget_counters" USING btree ("expires_at");