import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CodeBlock } from "@/components/ui/code-block";
import { KeyValueList } from "@/components/ui/key-value";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { quoteKey, quoteValue } from "@/lib/experiments/columns";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { loadDataset } from "@/lib/experiments/datasets.server";
import { segmentValue } from "@/lib/http/params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dataset · Experiments" };

/** A dataset logged as a run input: what it is, and links to the runs that used it and its lineage. */
export default async function DatasetPage({ params }: { params: Promise<{ id: string; uuid: string }> }) {
  const { id, uuid } = await params;
  if (!/^\d{1,18}$/.test(id)) notFound();
  const dataset = await loadDataset(trackingContextOf(await pageContext()), Number(id), segmentValue(uuid));
  if (!dataset) notFound();
  const filter = `datasets.${quoteKey("name")} = ${quoteValue(dataset.name)} and datasets.digest = ${quoteValue(dataset.digest)}`;
  return (
    <>
      <Breadcrumb
        items={[
          { label: "Experiments", href: "/experiments" },
          { label: `Experiment ${id}`, href: `/experiments/${id}` },
          { label: dataset.name },
        ]}
      />
      <PageHeader
        title={dataset.name}
        description={<span className="font-mono text-xs">digest {dataset.digest}</span>}
        actions={
          <div className="flex gap-2">
            <Link
              href={`/experiments/${id}?filter=${encodeURIComponent(filter)}`}
              className="rounded-md border border-border px-3 py-1.5 text-sm hover:bg-muted"
            >
              Runs that used it ({dataset.runCount})
            </Link>
            <Link
              href={`/lineage?node=${encodeURIComponent(`dataset:${dataset.datasetUuid}`)}`}
              className="rounded-md border border-border px-3 py-1.5 text-sm hover:bg-muted"
            >
              Lineage
            </Link>
          </div>
        }
      />
      <KeyValueList
        items={[
          ["Source type", dataset.sourceType],
          [
            "Source",
            <code key="s" className="text-xs break-all">
              {dataset.source}
            </code>,
          ],
        ]}
      />
      {dataset.profile ? <CodeBlock className="mt-4" label="Profile" text={dataset.profile} /> : null}
      {dataset.schema ? <CodeBlock className="mt-4" label="Schema" text={dataset.schema} /> : null}
    </>
  );
}
