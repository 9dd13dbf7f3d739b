import type { Metadata } from "next";
import { NewQueueForm } from "@/components/labelling/new-queue-form";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { CanOrExplain } from "@/components/auth/can";

export const metadata: Metadata = { title: "New labelling queue" };

export default function NewQueuePage() {
  return (
    <>
      <Breadcrumb items={[{ label: "Labelling", href: "/labelling" }, { label: "New queue" }]} />
      <PageHeader
        title="New labelling queue"
        description="Choose inferences with a filter or a random sample, the labels to collect, and who reviews."
      />
      <CanOrExplain permission="edit" what="create labelling queues">
        <NewQueueForm />
      </CanOrExplain>
    </>
  );
}
