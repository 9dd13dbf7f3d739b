import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DatasetVersions } from "@/components/datasets/datasets-view";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { NotFoundError } from "@/lib/http/errors";
import { datasetsContextOf } from "@/lib/datasets/http.server";
import { getDatasetVersions } from "@/lib/datasets/store.server";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";
import { segmentValue } from "@/lib/http/params";
import { pageContext } from "@/lib/auth/page.server";

export const metadata: Metadata = { title: "Dataset" };
export const dynamic = "force-dynamic";

export default async function DatasetPage({ params }: { params: Promise<{ name: string }> }) {
  const name = segmentValue((await params).name);
  const versions = await getDatasetVersions(datasetsContextOf(await pageContext()), name).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const queryClient = makeQueryClient();
  queryClient.setQueryData(queryKeys.dataset(name), { name, versions });
  return (
    <>
      <Breadcrumb items={[{ label: "Datasets", href: "/datasets" }, { label: name }]} />
      <PageHeader
        title={`Dataset ${name}`}
        description="Every version is immutable; saving identical items again returns the existing version."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <DatasetVersions name={name} />
      </HydrationBoundary>
    </>
  );
}
