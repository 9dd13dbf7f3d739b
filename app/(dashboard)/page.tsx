import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import Link from "next/link";
import { MlflowHashRedirect } from "@/components/layout/mlflow-hash-redirect";
import { StoreStatus } from "@/components/overview/store-status";
import { SECTIONS } from "@/components/layout/sections";
import { Card, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";
import { overviewSummary, summaryLines } from "@/lib/overview/summary.server";
import { checkHealth } from "@/lib/stores/health.server";
import { getStores } from "@/lib/stores/index.server";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const queryClient = makeQueryClient();
  const [, lines] = await Promise.all([
    queryClient.prefetchQuery({ queryKey: queryKeys.health(), queryFn: () => checkHealth() }),
    getStores()
      .then((stores) => overviewSummary({ db: stores.postgres.db, clickhouse: stores.clickhouse.client }))
      .then(summaryLines)
      .catch(() => ({}) as ReturnType<typeof summaryLines>),
  ]);
  return (
    <>
      <MlflowHashRedirect />
      <PageHeader title="Overview" description="One app for the LLM gateway, experiment tracking, registry and review." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <StoreStatus />
      </HydrationBoundary>
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
