import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { InferenceDetailView } from "@/components/analytics/inference-detail";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { AppError } from "@/lib/http/errors";
import { queryKeys } from "@/lib/query/keys";
import { inferenceIdParam } from "@/lib/analytics/inference-query";
import { segmentValue } from "@/lib/http/params";
import { prefetchInference } from "@/lib/analytics/prefetch.server";
import { makeQueryClient } from "@/lib/query/client";
import { pageContext } from "@/lib/auth/page.server";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Inference ${segmentValue((await params).id).slice(0, 13)}…` };
}

export default async function Page({ params }: Props) {
  const id = segmentValue((await params).id);
  const queryClient = makeQueryClient();
  if (!inferenceIdParam.safeParse(id).success) notFound();
  await prefetchInference(queryClient, (await pageContext()).stores.clickhouse.client, id);
  // A missing inference is a 404 page (and status), not an error state under a 200.
  const error = queryClient.getQueryState(queryKeys.inference(id))?.error;
  if (error instanceof AppError && error.status === 404) notFound();
  return (
    <>
      <Breadcrumb items={[{ label: "Inferences", href: "/inferences" }, { label: id }]} />
      <PageHeader title="Inference" description={<span className="font-mono text-xs">{id}</span>} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <InferenceDetailView id={id} />
      </HydrationBoundary>
    </>
  );
}
