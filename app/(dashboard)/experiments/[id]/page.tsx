import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CreateEntityButton, EntityActions, NotesAndTags } from "@/components/tracking/entity-editor";
import { RunsView } from "@/components/tracking/runs-table";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { NOTE_TAG } from "@/lib/experiments/edit-schemas";
import { prefetchRuns } from "@/lib/experiments/prefetch.server";
import { runsState } from "@/lib/experiments/schemas";
import { MlflowError } from "@/lib/stores/mlflow-errors";
import { makeQueryClient } from "@/lib/query/client";
import { getExperiment } from "@/lib/tracking/experiments.server";
import { parseSearch, type SearchInput } from "@/lib/url/search-params";
import { segmentValue } from "@/lib/http/params";

export const dynamic = "force-dynamic";

async function load(id: string) {
  const ctx = trackingContextOf(await pageContext());
  try {
    return { ctx, experiment: await getExperiment({ ctx, input: { experimentId: id } }) };
  } catch (error) {
    if (error instanceof MlflowError) notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  const { experiment } = await load(segmentValue(id));
  return { title: `${experiment.name} · Experiments` };
}

export default async function ExperimentPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchInput>;
}) {
  const id = segmentValue((await params).id);
  const { ctx, experiment } = await load(id);
  const state = { ...parseSearch(runsState, await searchParams), exp: [experiment.experimentId] };
  const queryClient = makeQueryClient();
  await prefetchRuns(queryClient, ctx, state);
  const note = experiment.tags.find((t) => t.key === NOTE_TAG)?.value;
  const deleted = experiment.lifecycleStage === "deleted";
  const entity = { kind: "experiment" as const, id: experiment.experimentId };
  return (
    <>
      <Breadcrumb items={[{ label: "Experiments", href: "/experiments" }, { label: experiment.name }]} />
      <PageHeader
        title={experiment.name}
        description={
          <>
            <span className="font-mono text-xs">id {experiment.experimentId}</span>
            {deleted ? (
              <span className="ml-2">
                <Badge tone="danger">deleted</Badge>
              </span>
            ) : null}
          </>
        }
        actions={
          <div className="flex flex-wrap items-start gap-2">
            {deleted ? null : <CreateEntityButton kind="run" experimentId={experiment.experimentId} />}
            <Link
              href={`/lineage?node=experiment:${experiment.experimentId}`}
              className="rounded-md border border-border px-3 py-1.5 text-sm hover:bg-muted"
            >
              Lineage
            </Link>
            <EntityActions entity={entity} name={experiment.name} deleted={deleted} />
          </div>
        }
      />
      <NotesAndTags entity={entity} note={note ?? ""} tags={experiment.tags} readOnly={deleted} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <RunsView fixedExperimentIds={[experiment.experimentId]} />
      </HydrationBoundary>
    </>
  );
}
