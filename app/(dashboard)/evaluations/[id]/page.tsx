import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunView } from "@/components/evaluations/run-view";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { evaluationsContextOf } from "@/lib/evaluations/http.server";
import { getRunView } from "@/lib/evaluations/runs.server";
import { NotFoundError } from "@/lib/http/errors";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";
import { pageContext } from "@/lib/auth/page.server";

export const metadata: Metadata = { title: "Evaluation run" };
export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/.test(id)) notFound();
  const run = await getRunView(evaluationsContextOf(await pageContext()), id).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const queryClient = makeQueryClient();
  queryClient.setQueryData(queryKeys.evaluation(id), run);
  return (
    <>
      <Breadcrumb items={[{ label: "Evaluations", href: "/evaluations" }, { label: run.name }]} />
      <PageHeader
        title={run.name}
        description={`Evaluation run ${run.id}${run.source === "promptfoo" ? " (imported from promptfoo)" : ""}`}
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <RunView id={id} />
      </HydrationBoundary>
    </>
  );
}
