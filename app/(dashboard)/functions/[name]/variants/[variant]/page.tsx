import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { VariantReportView } from "@/components/analytics/variant-report";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { Card, CardTitle } from "@/components/ui/card";
import { KeyValueList } from "@/components/ui/key-value";
import { PageHeader } from "@/components/ui/page-header";
import { functionPageState } from "@/lib/analytics/page-state";
import { prefetchFunctionReport } from "@/lib/analytics/prefetch.server";
import { variantFacts } from "@/lib/analytics/variant.server";
import { getGateway } from "@/lib/gateway/runtime.server";
import { segmentValue } from "@/lib/http/params";
import { makeQueryClient } from "@/lib/query/client";
import { parseSearch } from "@/lib/url/search-params";
import { pageContext } from "@/lib/auth/page.server";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ name: string; variant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name, variant } = await params;
  return { title: `${segmentValue(variant)} · ${segmentValue(name)} · Functions` };
}

/** A variant: its model, prompt version (linked), parameters and weight from llmops.toml, then its traffic and metrics. */
export default async function Page({ params, searchParams }: Props) {
  const { name: rawName, variant: rawVariant } = await params;
  const fn = segmentValue(rawName);
  const variant = segmentValue(rawVariant);
  const { stores } = await pageContext();
  const facts = await variantFacts(stores.postgres.db, (await getGateway()).config, fn, variant);
  if (!facts) notFound();
  const state = parseSearch(functionPageState, await searchParams);
  const queryClient = makeQueryClient();
  await prefetchFunctionReport(queryClient, stores.clickhouse.client, fn, state);
  const fnHref = `/functions/${encodeURIComponent(fn)}`;
  const versionHref = (v: string) => {
    const slash = v.lastIndexOf("/");
    return `/registry/prompts/${encodeURIComponent(v.slice(0, slash))}/versions/${v.slice(slash + 1)}`;
  };
  return (
    <>
      <Breadcrumb items={[{ label: "Functions & Variants", href: "/functions" }, { label: fn, href: fnHref }, { label: variant }]} />
      <PageHeader
        title={`${fn} / ${variant}`}
        description="A variant as llmops.toml declares it, and how it performs."
        actions={
          <div className="flex gap-2">
            <Link
              href={`/playground?fn=${encodeURIComponent(fn)}&a=${encodeURIComponent(`variant:${variant}`)}`}
              className="rounded-md border border-border px-3 py-1.5 text-sm hover:bg-muted"
            >
              Open in playground
            </Link>
            <Link
              href={`/inferences?function=${encodeURIComponent(fn)}&variant=${encodeURIComponent(variant)}`}
              className="rounded-md border border-border px-3 py-1.5 text-sm hover:bg-muted"
            >
              Its inferences
            </Link>
          </div>
        }
      />
      <Card aria-label="Configuration" className="mb-6">
        <CardTitle className="mb-2">Configuration</CardTitle>
        <KeyValueList
          items={[
            ["Model", `${facts.model}${facts.routing.length ? ` → ${facts.routing.join(", then ")}` : ""}`],
            ["Price", facts.price ? `$${facts.price.input} in / $${facts.price.output} out per million tokens` : undefined],
            [
              "Prompt version",
              facts.prompt.version ? (
                <Link key="pv" href={versionHref(facts.prompt.version)} className="text-primary hover:underline">
                  {facts.prompt.version}
                </Link>
              ) : facts.prompt.how === "none" ? (
                "none (messages are sent as given)"
              ) : (
                `${facts.prompt.ref} (not resolved)`
              ),
            ],
            [
              "Prompt source",
              facts.prompt.how === "reference"
                ? `follows ${facts.prompt.ref}`
                : facts.prompt.how === "inline"
                  ? "inline templates in llmops.toml"
                  : undefined,
            ],
            ["Variables", facts.prompt.variables.length ? facts.prompt.variables.map((v) => `{{${v}}}`).join(" ") : undefined],
            [
              "Parameters",
              Object.keys(facts.params).length
                ? Object.entries(facts.params)
                    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
                    .join(", ")
                : "provider defaults",
            ],
            [
              "Weight",
              `${facts.weight}${facts.totalWeight > 0 ? ` of ${facts.totalWeight} (${Math.round((facts.weight / facts.totalWeight) * 1000) / 10}% of traffic asked)` : ""}${facts.weight === 0 ? " — only when pinned or as a fallback" : ""}`,
            ],
          ]}
        />
      </Card>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense>
          <VariantReportView fn={fn} variant={variant} />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
