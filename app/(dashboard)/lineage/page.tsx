import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { sectionFor } from "@/components/layout/sections";
import { LineageView } from "@/components/lineage/lineage-view";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { listExperimentSummaries } from "@/lib/experiments/loaders.server";
import { LINEAGE_KINDS } from "@/lib/lineage-kinds.server";
import { lineageGraph } from "@/lib/lineage/graph.server";
import { parseNode } from "@/lib/lineage/nodes";
import { LINEAGE_LIMIT, lineageState } from "@/lib/lineage/view-state";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";
import { listRegistry } from "@/lib/registry/dashboard.server";
import { parseSearch, type SearchInput } from "@/lib/url/search-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: sectionFor("/lineage").label };

export default async function LineagePage({ searchParams }: { searchParams: Promise<SearchInput> }) {
  const state = parseSearch(lineageState, await searchParams);
  const ctx = trackingContextOf(await pageContext());
  const queryClient = makeQueryClient();
  let starts: { node: string; label: string }[] = [];
  if (state.node) {
    // A malformed node is left to the client, whose query shows the API's message.
    let root: ReturnType<typeof parseNode> | undefined;
    try {
      root = parseNode(state.node);
    } catch {
      root = undefined;
    }
    if (root) {
      const node = root;
      await queryClient.prefetchQuery({
        queryKey: queryKeys.lineage(state.node, state.depth),
        queryFn: () => lineageGraph(ctx, { root: node, depth: state.depth, maxNodes: LINEAGE_LIMIT }, LINEAGE_KINDS),
      });
    }
  } else {
    const [{ experiments }, prompts, models] = await Promise.all([
      listExperimentSummaries(ctx, { q: "", view: "active", sort: "activity", dir: "desc" }),
      listRegistry(ctx, { kind: "prompts", q: "" }),
      listRegistry(ctx, { kind: "models", q: "" }),
    ]);
    starts = [
      ...experiments
        .filter((e) => e.runCount > 0)
        .slice(0, 4)
        .map((e) => ({ node: `experiment:${e.experimentId}`, label: `Experiment ${e.name}` })),
      ...prompts.entries
        .slice(0, 4)
        .flatMap((p) =>
          p.latestVersion ? [{ node: `prompt_version:${p.name}/${p.latestVersion}`, label: `Prompt ${p.name} v${p.latestVersion}` }] : [],
        ),
      ...models.entries
        .slice(0, 4)
        .flatMap((m) =>
          m.latestVersion ? [{ node: `model_version:${m.name}/${m.latestVersion}`, label: `Model ${m.name} v${m.latestVersion}` }] : [],
        ),
    ];
  }
  const section = sectionFor("/lineage");
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <LineageView starts={starts} />
      </HydrationBoundary>
    </>
  );
}
