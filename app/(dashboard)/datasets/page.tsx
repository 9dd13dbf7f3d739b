import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { DatasetList } from "@/components/datasets/datasets-view";
import { PageHeader } from "@/components/ui/page-header";
import { datasetsContextOf } from "@/lib/datasets/http.server";
import { listDatasets } from "@/lib/datasets/store.server";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";
import { pageContext } from "@/lib/auth/page.server";

export const metadata: Metadata = { title: "Datasets" };
export const dynamic = "force-dynamic";

export default async function DatasetsPage() {
  // Outside the prefetch, which would swallow the redirect to sign in.
  const ctx = datasetsContextOf(await pageContext());
  const queryClient = makeQueryClient();
  await queryClient.prefetchQuery({ queryKey: queryKeys.datasets(), queryFn: () => listDatasets(ctx) });
  return (
    <>
      <PageHeader
        title="Datasets"
        description="Immutable, content-addressed versions saved from labelling queues, inferences, uploads (JSONL, CSV) and promptfoo tests; each version is an MLflow dataset runs log as an input."
        actions={
          <div className="flex gap-2">
            <Link href="/datasets/upload" className="rounded-md bg-primary px-3 py-1.5 text-sm font-medium text-primary-foreground">
              Upload
            </Link>
            <Link href="/datasets/from-inferences" className="rounded-md border border-border px-3 py-1.5 text-sm font-medium">
              From inferences
            </Link>
          </div>
        }
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <DatasetList />
      </HydrationBoundary>
    </>
  );
}
