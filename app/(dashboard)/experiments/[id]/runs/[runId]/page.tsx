import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { RunDetail } from "@/components/tracking/run-detail";
import { EntityActions, NotesAndTags } from "@/components/tracking/entity-editor";
import { StatusBadge } from "@/components/tracking/runs-table";
import { Badge } from "@/components/ui/badge";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { historyInput } from "@/lib/experiments/api";
import { NOTE_TAG } from "@/lib/experiments/edit-schemas";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { loadHistory, loadRunDetail } from "@/lib/experiments/run-detail.server";
import { chartState } from "@/lib/experiments/schemas";
import { AppError } from "@/lib/http/errors";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";
import { parseSearch } from "@/lib/url/search-params";
import { segmentValue } from "@/lib/http/params";

export const dynamic = "force-dynamic";

async function load(runId: string) {
  const ctx = trackingContextOf(await pageContext());
  try {
    return { ctx, detail: await loadRunDetail(ctx, runId) };
  } catch (error) {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ runId: string }> }): Promise<Metadata> {
  const { detail } = await load((await params).runId);
  return { title: `${detail.run.runName} · ${detail.experimentName}` };
}

export default async function RunPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string; runId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id, runId } = await params;
  const search = await searchParams;
  const { ctx, detail } = await load(runId);
  // A link with the wrong experiment (a moved bookmark) lands on the run's own page.
  if (detail.run.experimentId !== segmentValue(id)) redirect(`/experiments/${detail.run.experimentId}/runs/${runId}`);
  const chart = parseSearch(chartState, search);
  const queryClient = makeQueryClient();
  queryClient.setQueryData(queryKeys.run(runId), detail);
  const keys = detail.latest.map((m) => m.key).slice(0, search.charts === "all" ? 20 : 12);
  const tab = typeof search.tab === "string" ? search.tab : "charts";
  if (keys.length && tab === "charts") {
    const input = historyInput([runId], keys, chart.x);
    await queryClient.prefetchQuery({ queryKey: queryKeys.runHistory(input), queryFn: () => loadHistory(ctx, input) });
  }
  const { run } = detail;
  const deleted = run.lifecycleStage === "deleted";
  const entity = { kind: "run" as const, id: runId };
  return (
    <>
      <Breadcrumb
        items={[
          { label: "Experiments", href: "/experiments" },
          { label: detail.experimentName, href: `/experiments/${run.experimentId}` },
          { label: run.runName },
        ]}
      />
      <PageHeader
        title={run.runName || run.runId}
        description={
          <span className="flex items-center gap-2">
            <StatusBadge status={run.status} />
            {deleted ? <Badge tone="danger">deleted</Badge> : null}
          </span>
        }
        actions={
          <div className="flex gap-2">
            {detail.parent ? (
              <Link
                href={`/experiments/compare?${[detail.parent.runId, runId].map((r) => `runs=${r}`).join("&")}`}
                className="rounded-md border border-border px-3 py-1.5 text-sm hover:bg-muted"
              >
                Compare with parent
              </Link>
            ) : null}
            {detail.children.length >= 2 ? (
              <Link
                href={`/experiments/compare?${detail.children.map((c) => `runs=${c.runId}`).join("&")}`}
                className="rounded-md border border-border px-3 py-1.5 text-sm hover:bg-muted"
              >
                Compare child runs
              </Link>
            ) : null}
            <Link href={`/lineage?node=run:${runId}`} className="rounded-md border border-border px-3 py-1.5 text-sm hover:bg-muted">
              Lineage
            </Link>
            <EntityActions entity={entity} name={run.runName} deleted={deleted} />
          </div>
        }
      />
      <NotesAndTags
        entity={entity}
        note={run.tags[NOTE_TAG] ?? ""}
        tags={Object.entries(run.tags).map(([key, value]) => ({ key, value }))}
        readOnly={deleted}
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <RunDetail runId={runId} />
      </HydrationBoundary>
    </>
  );
}
