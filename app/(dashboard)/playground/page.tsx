import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Playground } from "@/components/playground/playground";
import { PageHeader } from "@/components/ui/page-header";
import { getGateway } from "@/lib/gateway/runtime.server";
import { playgroundCatalog } from "@/lib/playground/service.server";
import { makeQueryClient } from "@/lib/query/client";
import { pageContext } from "@/lib/auth/page.server";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Playground" };

export default async function PlaygroundPage() {
  // Outside the prefetch, which would swallow the redirect to sign in.
  const { stores } = await pageContext();
  const queryClient = makeQueryClient();
  await queryClient.prefetchQuery({
    queryKey: ["playground", "catalog"],
    queryFn: async () => playgroundCatalog(stores.postgres.db, (await getGateway()).config),
  });
  return (
    <>
      <PageHeader
        title="Playground"
        description="Run a variant or a prompt version — or two side by side — on your own inputs or a dataset's items, through the gateway. Answers stream in with their latency, tokens and cost."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Playground />
      </HydrationBoundary>
    </>
  );
}
