import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { QueueView } from "@/components/labelling/queue-view";
import { CalibrationTable } from "@/components/runtime-evaluation/calibration-table";
import { calibrationForPage } from "@/lib/runtime-evaluation/page-data.server";
import { NotFoundError } from "@/lib/http/errors";
import { pageContext } from "@/lib/auth/page.server";
import { labellingContextOf } from "@/lib/labelling/http.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { getQueueDetail } from "@/lib/labelling/queues.server";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";

export const metadata: Metadata = { title: "Labelling queue" };
export const dynamic = "force-dynamic";

export default async function QueuePage({ params }: { params: Promise<{ queueId: string }> }) {
  const { queueId } = await params;
  const ctx = await pageContext();
  const queryClient = makeQueryClient();
  const detail = await getQueueDetail(labellingContextOf(ctx), queueId).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  queryClient.setQueryData(queryKeys.labellingQueue(queueId), detail);
  const calibration = await calibrationForPage(trackingContextOf(ctx), { queueId });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <QueueView queueId={queueId} />
      <div className="mt-6">
        <CalibrationTable rows={calibration} what="How runtime judges agree with this queue's reviewers." />
      </div>
    </HydrationBoundary>
  );
}
