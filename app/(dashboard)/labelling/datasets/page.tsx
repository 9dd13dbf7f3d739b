import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { DatasetList } from "@/components/labelling/datasets-view";
import { PageHeader } from "@/components/ui/page-header";
import { listDatasets } from "@/lib/labelling/datasets.server";
import { labellingContext } from "@/lib/labelling/http.server";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";

export const metadata: Metadata = { title: "Datasets" };
export const dynamic = "force-dynamic";

export default async function DatasetsPage() {
  const queryClient = makeQueryClient();
  await queryClient.prefetchQuery({ queryKey: queryKeys.labellingDatasets(), queryFn: async () => listDatasets(await labellingContext()) });
  return (
    <>
      <PageHeader
        title="Datasets"
        description="Labelled items saved as immutable, content-addressed versions; each version is an MLflow dataset runs can log as an input."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <DatasetList />
      </HydrationBoundary>
    </>
  );
}
