ALTER TABLE "label_dataset_items" RENAME TO "dataset_items";--> statement-breakpoint
ALTER TABLE "label_dataset_versions" RENAME TO "dataset_versions";--> statement-breakpoint
ALTER TABLE "label_datasets" RENAME TO "named_datasets";--> statement-breakpoint
ALTER TABLE "named_datasets" DROP CONSTRAINT "label_datasets_name_unique";--> statement-breakpoint
ALTER TABLE "dataset_items" DROP CONSTRAINT "label_dataset_items_version_id_label_dataset_versions_id_fk";
--> statement-breakpoint
ALTER TABLE "dataset_versions" DROP CONSTRAINT "label_dataset_versions_dataset_id_label_datasets_id_fk";
--> statement-breakpoint
ALTER TABLE "dataset_versions" DROP CONSTRAINT "label_dataset_versions_queue_id_label_queues_id_fk";
--> statement-breakpoint
ALTER TABLE "dataset_items" ADD CONSTRAINT "dataset_items_version_id_dataset_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_id_named_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."named_datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_queue_id_label_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."label_queues"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "named_datasets" ADD CONSTRAINT "named_datasets_name_unique" UNIQUE("name");