import { segmentValue } from "@/lib/http/params";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { TraceViewPage } from "@/components/traces/trace-view";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { makeQueryClient } from "@/lib/query/client";
import { parseTraceId } from "@/lib/traces/ids";
import { AppError } from "@/lib/http/errors";
import { queryKeys } from "@/lib/query/keys";
import { getTraceView } from "@/lib/traces/dashboard.server";
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
  // Read before anything streams, so a missing trace answers HTTP 404 (app/README.md).
  if (!parseTraceId(id)) notFound();
  try {
    queryClient.setQueryData(queryKeys.trace(id), await getTraceView(ctx, id));
  } catch (error) {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  }
  return (
    <>
      <Breadcrumb items={[{ label: "Traces", href: "/traces" }, { label: id }]} />
      <PageHeader title="Trace" description={<span className="font-mono text-xs">{id}</span>} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense>
          <TraceViewPage id={id} />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
