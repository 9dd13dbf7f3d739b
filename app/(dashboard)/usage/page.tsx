import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { sectionFor } from "@/components/layout/sections";
import { UsageView } from "@/components/analytics/usage-view";
import { BudgetsView } from "@/components/analytics/budgets-view";
import { budgetStatus } from "@/lib/budgets/status.server";
import { PageHeader } from "@/components/ui/page-header";
import { usageApiUrl, usagePageState } from "@/lib/analytics/page-state";
import { rangeFromQuery } from "@/lib/analytics/range";
import { getUsage } from "@/lib/analytics/usage.server";
import { getGateway } from "@/lib/gateway/runtime.server";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";
import { parseSearch, type SearchInput } from "@/lib/url/search-params";
import { pageContext } from "@/lib/auth/page.server";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: sectionFor("/usage").label };

export default async function UsagePage({ searchParams }: { searchParams: Promise<SearchInput> }) {
  const state = parseSearch(usagePageState, await searchParams);
  const { stores } = await pageContext();
  const queryClient = makeQueryClient();
  const range = state.from !== undefined && state.to !== undefined ? { from: state.from, to: state.to } : { range: state.range };
  await Promise.all([
    queryClient.prefetchQuery({
      queryKey: queryKeys.usage(usageApiUrl(state)),
      queryFn: async () => getUsage(stores.clickhouse.client, (await getGateway()).config, rangeFromQuery(range), state.by),
    }),
    queryClient.prefetchQuery({
      queryKey: queryKeys.budgets(),
      queryFn: async () => {
        const gateway = await getGateway();
        return budgetStatus(gateway.config.budgets, gateway.budgets);
      },
    }),
  ]);
  const section = sectionFor("/usage");
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <div className="space-y-8">
          <BudgetsView />
          <UsageView />
        </div>
      </HydrationBoundary>
    </>
  );
}
