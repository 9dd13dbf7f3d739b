import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { QueueView } from "@/components/labelling/queue-view";
import { NotFoundError } from "@/lib/http/errors";
import { labellingContext } from "@/lib/labelling/http.server";
import { getQueueDetail } from "@/lib/labelling/queues.server";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";

export const metadata: Metadata = { title: "Labelling queue" };
export const dynamic = "force-dynamic";

export default async function QueuePage({ params }: { params: Promise<{ queueId: string }> }) {
  const { queueId } = await params;
  const queryClient = makeQueryClient();
  const detail = await getQueueDetail(await labellingContext(), queueId).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  queryClient.setQueryData(queryKeys.labellingQueue(queueId), detail);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <QueueView queueId={queueId} />
    </HydrationBoundary>
  );
}
