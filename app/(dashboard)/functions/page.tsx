import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Suspense } from "react";
import { FunctionsList } from "@/components/analytics/functions-list";
import { sectionFor } from "@/components/layout/sections";
import { PageHeader } from "@/components/ui/page-header";
import { functionPageState } from "@/lib/analytics/page-state";
import { prefetchFunctions } from "@/lib/analytics/prefetch.server";
import { makeQueryClient } from "@/lib/query/client";
import { parseSearch } from "@/lib/url/search-params";
import { pageContext } from "@/lib/auth/page.server";

export const metadata: Metadata = { title: sectionFor("/functions").label };
export const dynamic = "force-dynamic";

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const state = parseSearch(functionPageState, await searchParams);
  const queryClient = makeQueryClient();
  await prefetchFunctions(queryClient, (await pageContext()).stores.clickhouse.client, state);
  const section = sectionFor("/functions");
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense>
          <FunctionsList />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
