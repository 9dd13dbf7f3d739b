import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PromptEditor } from "@/components/registry/prompt-editor";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { prefetchRegistered } from "@/lib/registry/prefetch.server";
import { segmentValue } from "@/lib/http/params";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";

export const dynamic = "force-dynamic";

type Params = Promise<{ kind: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Edit ${segmentValue((await params).name)} · Prompts & Models` };
}

/** `?from=N` starts from version N (the newest by default). */
export default async function EditPromptPage({ params, searchParams }: { params: Params; searchParams: Promise<{ from?: string }> }) {
  const { kind, name: raw } = await params;
  const name = segmentValue(raw);
  const { data, queryClient } = await prefetchRegistered(trackingContextOf(await pageContext()), kind, name, "/edit");
  if (data.kind !== "prompts") notFound();
  const fromText = (await searchParams).from;
  const from = fromText && /^\d{1,9}$/.test(fromText) ? Number(fromText) : undefined;
  return (
    <>
      <Breadcrumb
        items={[
          { label: "Prompts", href: "/registry" },
          { label: data.name, href: `/registry/prompts/${encodeURIComponent(name)}` },
          { label: "New version" },
        ]}
      />
      <PageHeader
        title={`New version of ${data.name}`}
        description="Edit the template; the diff against the version you start from updates as you type. Saving registers a new version (gateway variants that follow an alias switch only when the alias moves)."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <PromptEditor name={name} from={from} />
      </HydrationBoundary>
    </>
  );
}
