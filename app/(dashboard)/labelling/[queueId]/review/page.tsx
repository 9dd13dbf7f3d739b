import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ReviewScreen } from "@/components/labelling/review-screen";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { NotFoundError } from "@/lib/http/errors";
import { pageContext } from "@/lib/auth/page.server";
import { labellingContextOf } from "@/lib/labelling/http.server";
import { getQueueSummary } from "@/lib/labelling/queues.server";
import { REVIEWER_COOKIE, reviewerName } from "@/lib/labelling/schemas";
import { CanOrExplain } from "@/components/auth/can";

export const metadata: Metadata = { title: "Label" };
export const dynamic = "force-dynamic";

export default async function ReviewPage({ params }: { params: Promise<{ queueId: string }> }) {
  const { queueId } = await params;
  const queue = await getQueueSummary(labellingContextOf(await pageContext()), queueId).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  // Only with auth off (no accounts) do reviewers name themselves; the name is kept in a cookie.
  const raw = (await cookies()).get(REVIEWER_COOKIE)?.value;
  const named = raw ? reviewerName.safeParse(decodeURIComponentSafe(raw)) : undefined;
  return (
    <>
      <Breadcrumb
        items={[
          { label: "Labelling", href: "/labelling" },
          { label: queue.name, href: `/labelling/${encodeURIComponent(queue.id)}` },
          { label: "Review" },
        ]}
      />
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
        <ReviewScreen
          queue={{ id: queue.id, name: queue.name, fields: queue.fields, blind: queue.blind, description: queue.description }}
          namedReviewer={named?.success ? named.data : undefined}
        />
      </CanOrExplain>
    </>
  );
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
