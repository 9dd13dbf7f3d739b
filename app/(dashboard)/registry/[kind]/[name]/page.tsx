import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { RegisteredActions } from "@/components/registry/registry-actions";
import { RegisteredView } from "@/components/registry/registered-view";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { prefetchRegistered } from "@/lib/registry/prefetch.server";
import { segmentValue } from "@/lib/http/params";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";

export const dynamic = "force-dynamic";

type Params = Promise<{ kind: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `${segmentValue((await params).name)} · Prompts & Models` };
}

export default async function RegisteredPage({ params }: { params: Params }) {
  const { kind, name: raw } = await params;
  const name = segmentValue(raw);
  const { data, queryClient } = await prefetchRegistered(trackingContextOf(await pageContext()), kind, name);
  return (
    <>
      <Breadcrumb
        items={[
          { label: data.kind === "prompts" ? "Prompts" : "Models", href: `/registry${data.kind === "models" ? "?kind=models" : ""}` },
          { label: data.name },
        ]}
      />
      <PageHeader
        title={data.name}
        description={data.kind === "prompts" ? "Prompt" : "Registered model"}
        actions={<RegisteredActions kind={data.kind} name={data.name} description={data.description} />}
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <RegisteredView name={name} />
      </HydrationBoundary>
    </>
  );
}
