import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Suspense } from "react";
import { sectionFor } from "@/components/layout/sections";
import { TraceBrowser } from "@/components/traces/trace-browser";
import { PageHeader } from "@/components/ui/page-header";
import { makeQueryClient } from "@/lib/query/client";
import { prefetchTraces } from "@/lib/traces/prefetch.server";
import { tracePageState } from "@/lib/traces/schemas";
import { parseSearch } from "@/lib/url/search-params";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";

export const metadata: Metadata = { title: sectionFor("/traces").label };
export const dynamic = "force-dynamic";

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const state = parseSearch(tracePageState, await searchParams);
  const queryClient = makeQueryClient();
  await prefetchTraces(queryClient, trackingContextOf(await pageContext()), state);
  const section = sectionFor("/traces");
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense>
          <TraceBrowser />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
