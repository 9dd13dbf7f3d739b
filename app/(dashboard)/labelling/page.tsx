import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { QueueList } from "@/components/labelling/queue-list";
import { sectionFor } from "@/components/layout/sections";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/page.server";
import { labellingContextOf } from "@/lib/labelling/http.server";
import { listQueues } from "@/lib/labelling/queues.server";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";

export const metadata: Metadata = { title: sectionFor("/labelling").label };
export const dynamic = "force-dynamic";

const linkButton = "inline-flex items-center rounded-md px-3 py-1.5 text-sm font-medium";

export default async function LabellingPage() {
  // Outside the prefetch, which would swallow the redirect to sign in.
  const ctx = labellingContextOf(await pageContext());
  const queryClient = makeQueryClient();
  await queryClient.prefetchQuery({ queryKey: queryKeys.labellingQueues(), queryFn: () => listQueues(ctx) });
  const section = sectionFor("/labelling");
  return (
    <>
      <PageHeader
        title={section.label}
        description={section.description}
        actions={
          <div className="flex gap-2">
            <Link href="/datasets" className={`${linkButton} border border-border bg-card hover:bg-muted`}>
              Datasets
            </Link>
            <Link href="/labelling/new" className={`${linkButton} bg-primary text-primary-foreground hover:opacity-90`}>
              New queue
            </Link>
          </div>
        }
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <QueueList />
      </HydrationBoundary>
    </>
  );
}
