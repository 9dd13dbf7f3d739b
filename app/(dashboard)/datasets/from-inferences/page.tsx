import type { Metadata } from "next";
import { FromInferencesForm } from "@/components/datasets/from-inferences-form";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { CanOrExplain } from "@/components/auth/can";

export const metadata: Metadata = { title: "Dataset from inferences" };
export const dynamic = "force-dynamic";

export default async function FromInferencesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = (await searchParams).ids;
  const ids = (Array.isArray(raw) ? raw : raw ? raw.split(",") : []).filter((id) => /^[0-9a-f-]{36}$/.test(id)).slice(0, 10_000);
  return (
    <>
      <Breadcrumb items={[{ label: "Datasets", href: "/datasets" }, { label: "From inferences" }]} />
      <PageHeader
        title="Dataset from inferences"
        description="Each inference keeps its input (variables and messages) and becomes one item."
      />
      <CanOrExplain permission="edit" what="create datasets">
        <FromInferencesForm ids={ids} />
      </CanOrExplain>
    </>
  );
}
