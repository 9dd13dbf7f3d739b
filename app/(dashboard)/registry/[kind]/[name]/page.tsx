import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { RegisteredView } from "@/components/registry/registered-view";
import { PageHeader } from "@/components/ui/page-header";
import { prefetchRegistered } from "@/lib/registry/prefetch.server";
import { segmentValue } from "@/lib/http/params";

export const dynamic = "force-dynamic";

type Params = Promise<{ kind: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `${segmentValue((await params).name)} · Prompts & Models` };
}

export default async function RegisteredPage({ params }: { params: Params }) {
  const { kind, name: raw } = await params;
  const name = segmentValue(raw);
  const { data, queryClient } = await prefetchRegistered(kind, name);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted-foreground">
        <Link href={`/registry${data.kind === "models" ? "?kind=models" : ""}`} className="hover:underline">
          {data.kind === "prompts" ? "Prompts" : "Models"}
        </Link>{" "}
        / <span aria-current="page">{data.name}</span>
      </nav>
      <PageHeader title={data.name} description={data.kind === "prompts" ? "Prompt" : "Registered model"} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <RegisteredView name={name} />
      </HydrationBoundary>
    </>
  );
}
