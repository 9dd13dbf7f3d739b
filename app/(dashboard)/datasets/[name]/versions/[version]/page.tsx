import type { Metadata } from "next";
import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { CodeBlock } from "@/components/ui/code-block";
import { KeyValueList } from "@/components/ui/key-value";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { NotFoundError } from "@/lib/http/errors";
import { datasetsContextOf } from "@/lib/datasets/http.server";
import { datasetVersionPath, getDatasetVersion } from "@/lib/datasets/store.server";
import { itemInputText } from "@/lib/datasets/display";
import { segmentValue } from "@/lib/http/params";
import { pageContext } from "@/lib/auth/page.server";
import { labellingContextOf } from "@/lib/labelling/http.server";
import { getQueueSummary } from "@/lib/labelling/queues.server";
import Link from "next/link";

export const metadata: Metadata = { title: "Dataset version" };
export const dynamic = "force-dynamic";

const SHOWN = 200;

/** A version is immutable, so this page renders on the server with no client fetching. */
export default async function DatasetVersionPage({ params }: { params: Promise<{ name: string; version: string }> }) {
  const { name: rawName, version } = await params;
  const name = segmentValue(rawName);
  if (!/^\d{1,9}$/.test(version)) notFound();
  const ctx = await pageContext();
  const found = await getDatasetVersion(datasetsContextOf(ctx), name, Number(version)).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  // A version saved from a labelling queue names it (the queue may have been deleted since).
  const queue = found.queueId
    ? await getQueueSummary(labellingContextOf(ctx), found.queueId).catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      })
    : undefined;
  const api = datasetVersionPath(found.name, found.version);
  return (
    <>
      <Breadcrumb
        items={[
          { label: "Datasets", href: "/datasets" },
          { label: found.name, href: `/datasets/${encodeURIComponent(found.name)}` },
          { label: `v${found.version}` },
        ]}
      />
      <PageHeader title={`${found.name} v${found.version}`} description={`${found.itemCount} items · digest ${found.digest}`} />
      <KeyValueList
        className="mb-4"
        items={[
          [
            "JSON",
            <a key="json" className="underline" href={api}>
              {api}
            </a>,
          ],
          ["JSON Lines", <a key="jsonl" className="underline" href={`${api}?format=jsonl`}>{`${api}?format=jsonl`}</a>],
          ...(found.queueId
            ? [
                [
                  "Saved from",
                  <Link key="queue" className="underline" href={`/labelling/${found.queueId}`}>
                    {queue ? `labelling queue “${queue.name}”` : "a labelling queue that no longer exists"}
                  </Link>,
                ] as [string, ReactNode],
              ]
            : []),
          ["MLflow dataset", `${found.mlflow.name} @ ${found.mlflow.digest} (source type ${found.mlflow.source_type})`],
        ]}
      />
      <CodeBlock
        label="runs/log-inputs dataset"
        className="mb-4"
        maxHeight="8rem"
        text={JSON.stringify(
          {
            dataset: {
              name: found.mlflow.name,
              digest: found.mlflow.digest,
              source_type: found.mlflow.source_type,
              source: found.mlflow.source,
            },
          },
          null,
          2,
        )}
      />
      <Table caption={found.items.length > SHOWN ? `First ${SHOWN} of ${found.items.length} items` : "Items"}>
        <THead>
          <Tr>
            <Th>#</Th>
            <Th>Input (variables or last message)</Th>
            <Th>Expected output</Th>
            <Th>Context</Th>
            <Th>Assertions</Th>
            <Th>Tags</Th>
          </Tr>
        </THead>
        <TBody>
          {found.items.slice(0, SHOWN).map((item) => (
            <Tr key={item.position}>
              <Td numeric>{item.position + 1}</Td>
              <Td className="max-w-md align-top whitespace-pre-wrap">{itemInputText(item.input)}</Td>
              <Td className="max-w-md align-top whitespace-pre-wrap">{item.expectedOutput ?? "—"}</Td>
              <Td className="max-w-xs align-top text-xs whitespace-pre-wrap">{item.context ?? "—"}</Td>
              <Td className="align-top font-mono text-xs">{item.assertions.map((a) => a.type).join(", ") || "—"}</Td>
              <Td className="align-top text-xs">
                {Object.entries(item.tags)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(", ") || "—"}
              </Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </>
  );
}
