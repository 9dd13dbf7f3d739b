import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import Link from "next/link";
import { MlflowHashRedirect } from "@/components/layout/mlflow-hash-redirect";
import { GatewayLog } from "@/components/overview/gateway-log";
import { StoreStatus } from "@/components/overview/store-status";
import { SECTIONS } from "@/components/layout/sections";
import { Card, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { last24h } from "@/lib/analytics/overview-24h.server";
import { formatValue } from "@/lib/charts/format";
import { getGateway } from "@/lib/gateway/runtime.server";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";
import { overviewSummary, summaryLines } from "@/lib/overview/summary.server";
import { checkHealth } from "@/lib/stores/health.server";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const ctx = await pageContext();
  const queryClient = makeQueryClient();
  const [, lines, day, log] = await Promise.all([
    queryClient.prefetchQuery({ queryKey: queryKeys.health(), queryFn: () => checkHealth() }),
    overviewSummary(trackingContextOf(ctx))
      .then(summaryLines)
      .catch(() => ({}) as ReturnType<typeof summaryLines>),
    // The lead figures; a store that is down shows in the status below instead.
    getGateway()
      .then((gateway) => last24h(ctx.stores.clickhouse.client, gateway.config))
      .catch(() => undefined),
    getGateway()
      .then(async (gateway) => ({
        stats: gateway.recorder.stats(),
        deadLetters: await gateway.recorder.deadLetterSummary().catch(() => null),
      }))
      .catch(() => undefined),
  ]);
  const figures: [string, string, string][] = day
    ? [
        ["Requests", formatValue(day.requests, "count"), "/functions"],
        ["Cost", formatValue(day.cost, "usd"), "/usage?range=24h"],
        ["Error rate", formatValue(day.errorRate, "percent"), "/inferences?range=24h&status=error"],
        ["Feedback received", formatValue(day.feedback, "count"), "/functions"],
      ]
    : [];
  return (
    <>
      <MlflowHashRedirect />
      <PageHeader title="Overview" description="One app for the LLM gateway, experiment tracking, registry and review." />
      <section aria-labelledby="day-heading" className="mb-10">
        <h2 id="day-heading" className="mb-3 text-lg font-semibold">
          Last 24 hours
        </h2>
        {day ? (
          <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
            {figures.map(([label, value, href]) => (
              <li key={label}>
                <Link href={href} className="block rounded-lg focus-visible:outline-2">
                  <Card className="hover:border-primary">
                    <p className="text-sm text-muted-foreground">{label}</p>
                    <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
                  </Card>
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-muted-foreground">Traffic figures are unavailable while a store is down (see below).</p>
        )}
      </section>
      <h2 className="mb-4 text-lg font-semibold">Stores</h2>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <StoreStatus />
      </HydrationBoundary>
      {log ? <GatewayLog stats={log.stats} deadLetters={log.deadLetters} /> : null}
      <h2 className="mt-10 mb-4 text-lg font-semibold">Areas</h2>
      <ul className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {SECTIONS.filter((s) => s.href !== "/").map((section) => (
          <li key={section.href}>
            <Link href={section.href} className="block h-full rounded-lg focus-visible:outline-2">
              <Card className="h-full hover:border-primary">
                <CardTitle>{section.label}</CardTitle>
                <p className="mt-1 text-sm text-muted-foreground">{section.description}</p>
                {lines[section.href] ? <p className="mt-3 text-sm font-medium tabular-nums">{lines[section.href]}</p> : null}
              </Card>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
