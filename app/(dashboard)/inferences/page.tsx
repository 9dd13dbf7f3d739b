import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Suspense } from "react";
import { InferenceBrowser } from "@/components/analytics/inference-browser";
import { sectionFor } from "@/components/layout/sections";
import { PageHeader } from "@/components/ui/page-header";
import { inferencePageState } from "@/lib/analytics/page-state";
import { prefetchInferences } from "@/lib/analytics/prefetch.server";
import { makeQueryClient } from "@/lib/query/client";
import { parseSearch } from "@/lib/url/search-params";
import { pageContext } from "@/lib/auth/page.server";

export const metadata: Metadata = { title: sectionFor("/inferences").label };
export const dynamic = "force-dynamic";

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const state = parseSearch(inferencePageState, await searchParams);
  const queryClient = makeQueryClient();
  await prefetchInferences(queryClient, (await pageContext()).stores.clickhouse.client, state);
  const section = sectionFor("/inferences");
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense>
          <InferenceBrowser />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
