import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { VersionView } from "@/components/registry/version-view";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { prefetchRegistered } from "@/lib/registry/prefetch.server";
import { segmentValue } from "@/lib/http/params";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";

export const dynamic = "force-dynamic";

type Params = Promise<{ kind: string; name: string; version: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { name, version } = await params;
  return { title: `${segmentValue(name)} v${version} · Prompts & Models` };
}

export default async function VersionPage({ params }: { params: Params }) {
  const { kind, name: raw, version: text } = await params;
  const version = Number(text);
  if (!/^\d{1,9}$/.test(text) || version < 1) notFound();
  const name = segmentValue(raw);
  const { data, queryClient } = await prefetchRegistered(trackingContextOf(await pageContext()), kind, name, `/versions/${version}`);
  if (!data.versions.some((v) => v.version === version)) notFound();
  const node = `${data.kind === "prompts" ? "prompt_version" : "model_version"}:${name}/${version}`;
  return (
    <>
      <Breadcrumb
        items={[
          { label: data.kind === "prompts" ? "Prompts" : "Models", href: `/registry${data.kind === "models" ? "?kind=models" : ""}` },
          { label: data.name, href: `/registry/${data.kind}/${encodeURIComponent(name)}` },
          { label: `v${version}` },
        ]}
      />
      <PageHeader
        title={`${data.name} v${version}`}
        description={data.kind === "prompts" ? "Prompt version" : "Model version"}
        actions={
          <Link
            href={`/lineage?node=${encodeURIComponent(node)}`}
            className="rounded-md border border-border px-3 py-1.5 text-sm hover:bg-muted"
          >
            Lineage
          </Link>
        }
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <VersionView name={name} version={version} />
      </HydrationBoundary>
    </>
  );
}
