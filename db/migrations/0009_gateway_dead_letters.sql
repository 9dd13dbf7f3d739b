CREATE TABLE "gateway_dead_letters" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gateway_dead_letters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"table_name" text NOT NULL,
	"row" text NOT NULL,
	"error" text NOT NULL,
	"error_code" text DEFAULT '' NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"instance_id" text DEFAULT '' NOT NULL,
	"first_failed_at" bigint NOT NULL,
	"last_failed_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "gateway_dead_letters_last_failed_idx" ON "gateway_dead_letters" USING btree ("last_failed_at");