import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Suspense } from "react";
import { AbReportView } from "@/components/analytics/ab-report";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { abPageState } from "@/lib/analytics/page-state";
import { segmentValue } from "@/lib/http/params";
import { prefetchAb } from "@/lib/analytics/prefetch.server";
import { makeQueryClient } from "@/lib/query/client";
import { parseSearch } from "@/lib/url/search-params";
import { pageContext } from "@/lib/auth/page.server";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `A/B · ${segmentValue((await params).name)}` };
}

export default async function Page({ params, searchParams }: Props) {
  const name = segmentValue((await params).name);
  const state = parseSearch(abPageState, await searchParams);
  const queryClient = makeQueryClient();
  await prefetchAb(queryClient, (await pageContext()).stores.clickhouse.client, name, state);
  return (
    <>
      <Breadcrumb
        items={[
          { label: "Functions & Variants", href: "/functions" },
          { label: name, href: `/functions/${encodeURIComponent(name)}` },
          { label: "A/B results" },
        ]}
      />
      <PageHeader
        title={`A/B results: ${name}`}
        description="Each variant against a control on one feedback metric, with intervals, p-values, the verdict of the experiment's sequential design (open or planned), power and detectable effects, and sample-ratio checks."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense>
          <AbReportView name={name} />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
