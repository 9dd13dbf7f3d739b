import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ReviewScreen } from "@/components/labelling/review-screen";
import { PageHeader } from "@/components/ui/page-header";
import { NotFoundError } from "@/lib/http/errors";
import { labellingContext } from "@/lib/labelling/http.server";
import { getQueueSummary } from "@/lib/labelling/queues.server";
import { CanOrExplain } from "@/components/auth/can";

export const metadata: Metadata = { title: "Label" };
export const dynamic = "force-dynamic";

export default async function ReviewPage({ params }: { params: Promise<{ queueId: string }> }) {
  const { queueId } = await params;
  const queue = await getQueueSummary(await labellingContext(), queueId).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return (
    <>
      <PageHeader
        title={`Label: ${queue.name}`}
        description={
          <>
            One item at a time; every label has a key.{" "}
            <Link className="underline" href={`/labelling/${queue.id}`}>
              Queue overview
            </Link>
          </>
        }
      />
      <CanOrExplain permission="label" what="label">
        <ReviewScreen queue={{ id: queue.id, name: queue.name, fields: queue.fields, blind: queue.blind }} />
      </CanOrExplain>
    </>
  );
}
