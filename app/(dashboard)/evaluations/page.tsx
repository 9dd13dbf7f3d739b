import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { PolicyList } from "@/components/evaluations/policy-list";
import { RunsList } from "@/components/evaluations/runs-list";
import { PageHeader } from "@/components/ui/page-header";
import { evaluationsContextOf } from "@/lib/evaluations/http.server";
import { listRuns } from "@/lib/evaluations/runs.server";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";
import { pageContext } from "@/lib/auth/page.server";

export const metadata: Metadata = { title: "Evaluations" };
export const dynamic = "force-dynamic";

export default async function EvaluationsPage() {
  // Outside the prefetch, which would swallow the redirect to sign in.
  const ctx = evaluationsContextOf(await pageContext());
  const queryClient = makeQueryClient();
  await queryClient.prefetchQuery({ queryKey: queryKeys.evaluations(), queryFn: () => listRuns(ctx) });
  return (
    <>
      <PageHeader
        title="Evaluations"
        description="Runs of a function's variants over a dataset version, scored by evaluators and LLM judges through the gateway; compare them and gate promotions on them."
        actions={
          <Link href="/evaluations/new" className="rounded-md bg-primary px-3 py-1.5 text-sm font-medium text-primary-foreground">
            New run
          </Link>
        }
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <RunsList />
      </HydrationBoundary>
      <h2 className="mt-8 mb-2 text-base font-semibold">Promotion gates</h2>
      <PolicyList />
    </>
  );
}
