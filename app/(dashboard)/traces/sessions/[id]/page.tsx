import { segmentValue } from "@/lib/http/params";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { SessionViewPage } from "@/components/traces/session-view";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { makeQueryClient } from "@/lib/query/client";
import { prefetchSession } from "@/lib/traces/prefetch.server";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Session ${segmentValue((await params).id).slice(0, 20)}` };
}

export default async function Page({ params }: Props) {
  const id = segmentValue((await params).id);
  const queryClient = makeQueryClient();
  await prefetchSession(queryClient, trackingContextOf(await pageContext()), id);
  return (
    <>
      <Breadcrumb items={[{ label: "Traces", href: "/traces" }, { label: "Session" }]} />
      <PageHeader title="Session" description={<span className="font-mono text-xs">{id}</span>} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <SessionViewPage id={id} />
      </HydrationBoundary>
    </>
  );
}
