import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { InferenceDetailView } from "@/components/analytics/inference-detail";
import { PageHeader } from "@/components/ui/page-header";
import { inferenceIdParam } from "@/lib/analytics/inference-query";
import { segmentValue } from "@/lib/http/params";
import { prefetchInference } from "@/lib/analytics/prefetch.server";
import { makeQueryClient } from "@/lib/query/client";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Inference ${segmentValue((await params).id).slice(0, 13)}…` };
}

export default async function Page({ params }: Props) {
  const id = segmentValue((await params).id);
  const queryClient = makeQueryClient();
  if (inferenceIdParam.safeParse(id).success) await prefetchInference(queryClient, id);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted-foreground">
        <Link href="/inferences" className="hover:underline">
          Inferences
        </Link>{" "}
        / {id}
      </nav>
      <PageHeader title="Inference" description={<span className="font-mono text-xs">{id}</span>} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <InferenceDetailView id={id} />
      </HydrationBoundary>
    </>
  );
}
