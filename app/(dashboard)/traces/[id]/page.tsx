import { segmentValue } from "@/lib/http/params";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { TraceViewPage } from "@/components/traces/trace-view";
import { PageHeader } from "@/components/ui/page-header";
import { makeQueryClient } from "@/lib/query/client";
import { parseTraceId } from "@/lib/traces/ids";
import { prefetchTrace } from "@/lib/traces/prefetch.server";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Trace ${segmentValue((await params).id).slice(0, 15)}…` };
}

export default async function Page({ params }: Props) {
  const id = segmentValue((await params).id);
  const ctx = trackingContextOf(await pageContext());
  const queryClient = makeQueryClient();
  if (parseTraceId(id)) await prefetchTrace(queryClient, ctx, id);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted-foreground">
        <Link href="/traces" className="hover:underline">
          Traces
        </Link>{" "}
        / {id}
      </nav>
      <PageHeader title="Trace" description={<span className="font-mono text-xs">{id}</span>} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense>
          <TraceViewPage id={id} />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
