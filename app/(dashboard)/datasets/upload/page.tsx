import type { Metadata } from "next";
import { UploadForm } from "@/components/datasets/upload-form";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { CanOrExplain } from "@/components/auth/can";

export const metadata: Metadata = { title: "Upload a dataset" };
export const dynamic = "force-dynamic";

export default function UploadPage() {
  return (
    <>
      <Breadcrumb items={[{ label: "Datasets", href: "/datasets" }, { label: "Upload" }]} />
      <PageHeader
        title="Upload a dataset"
        description="JSON Lines (one item a line: vars or input, expected_output, context, assert, tags) or CSV (columns as variables; expected_output, context and promptfoo's __expected read as such). Check the preview, fix the mapping, then save."
      />
      <CanOrExplain permission="edit" what="create datasets">
        <UploadForm />
      </CanOrExplain>
    </>
  );
}
