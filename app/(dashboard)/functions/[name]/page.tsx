import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { CascadeSummaryView } from "@/components/analytics/cascade-summary";
import { GuardrailSummaryView } from "@/components/guardrails/guardrail-summary";
import { guardrailSummary } from "@/lib/guardrails/stats.server";
import { FunctionReportView } from "@/components/analytics/function-report";
import { CalibrationTable } from "@/components/runtime-evaluation/calibration-table";
import { RuntimePanel } from "@/components/runtime-evaluation/runtime-panel";
import { calibrationForPage, runtimeStatusForPage } from "@/lib/runtime-evaluation/page-data.server";
import { PageHeader } from "@/components/ui/page-header";
import { getCascadeSummary } from "@/lib/analytics/cascade.server";
import { functionPageState } from "@/lib/analytics/page-state";
import { rangeFromQuery, type RangeQuery } from "@/lib/analytics/range";
import { prefetchFunctionReport } from "@/lib/analytics/prefetch.server";
import { makeQueryClient } from "@/lib/query/client";
import { segmentValue } from "@/lib/http/params";
import { parseSearch } from "@/lib/url/search-params";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";
import type { ClickHouseClient } from "@clickhouse/client";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${segmentValue((await params).name)} · Functions` };
}

export default async function Page({ params, searchParams }: Props) {
  const name = segmentValue((await params).name);
  const state = parseSearch(functionPageState, await searchParams);
  const ctx = await pageContext();
  const queryClient = makeQueryClient();
  const [, runtime, judged, judging] = await Promise.all([
    prefetchFunctionReport(queryClient, ctx.stores.clickhouse.client, name, state),
    runtimeStatusForPage(ctx.stores.postgres.db, name),
    calibrationForPage(trackingContextOf(ctx), { functionName: name }),
    calibrationForPage(trackingContextOf(ctx), { judgeFunction: name }),
  ]);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted-foreground">
        <Link href="/functions" className="hover:underline">
          Functions & Variants
        </Link>{" "}
        / {name}
      </nav>
      <PageHeader
        title={name}
        description="Each variant's traffic, latency, time to first token, tokens, cost, errors, cache hits and feedback metrics."
      />
      {runtime && <RuntimePanel status={runtime} />}
      <CalibrationTable rows={judged} what="How this function's judges agree with reviewers on its inferences." />
      <CalibrationTable rows={judging} what="This function as a judge: how its versions agree with reviewers." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense>
          <FunctionReportView name={name} />
        </Suspense>
      </HydrationBoundary>
      <Suspense>
        <Cascades clickhouse={ctx.stores.clickhouse.client} name={name} range={state} />
      </Suspense>
      <Suspense>
        <Guardrails clickhouse={ctx.stores.clickhouse.client} name={name} range={state} />
      </Suspense>
    </>
  );
}

/** Cascade variants' escalation rate and cost saved (server-rendered; absent when the function has none). */
async function Cascades({ clickhouse, name, range }: { clickhouse: ClickHouseClient; name: string; range: RangeQuery }) {
  const cascades = await getCascadeSummary(clickhouse, name, rangeFromQuery(range)).catch((error: unknown) => {
    console.warn(`[llmops] function page: cascade figures unavailable (${error instanceof Error ? error.message : String(error)})`);
    return [];
  });
  return <CascadeSummaryView cascades={cascades} />;
}

/** Guardrail verdicts per guardrail and stage (server-rendered; absent when none ran in the range). */
async function Guardrails({ clickhouse, name, range }: { clickhouse: ClickHouseClient; name: string; range: RangeQuery }) {
  const { from, to } = rangeFromQuery(range);
  const lines = await guardrailSummary(clickhouse, name, from, to).catch((error: unknown) => {
    console.warn(`[llmops] function page: guardrail figures unavailable (${error instanceof Error ? error.message : String(error)})`);
    return [];
  });
  return <GuardrailSummaryView lines={lines} />;
}
