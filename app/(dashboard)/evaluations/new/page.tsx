import type { Metadata } from "next";
import { NewRunForm } from "@/components/evaluations/new-run-form";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { CanOrExplain } from "@/components/auth/can";

export const metadata: Metadata = { title: "New evaluation run" };
export const dynamic = "force-dynamic";

export default function NewRunPage() {
  return (
    <>
      <Breadcrumb items={[{ label: "Evaluations", href: "/evaluations" }, { label: "New run" }]} />
      <PageHeader
        title="New evaluation run"
        description="Each item goes through the gateway's own path, tagged as evaluation traffic, then through every evaluator."
      />
      <CanOrExplain permission="edit" what="start evaluation runs">
        <NewRunForm />
      </CanOrExplain>
    </>
  );
}
