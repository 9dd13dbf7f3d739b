"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { KeyValueList } from "@/components/ui/key-value";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { labellingApi } from "@/lib/labelling/api-client";
import { readableTime } from "@/lib/labelling/display";
import type { QueueDetail } from "@/lib/labelling/schemas";
import { queryKeys } from "@/lib/query/keys";
import { ProgressBar } from "./progress-bar";
import { ReviewerProgressTable } from "./reviewer-progress";
import { SaveDatasetForm } from "./save-dataset-form";
import { Can } from "@/components/auth/can";

const kappaWords = (k: number | null) =>
  k === null
    ? "undefined (all ratings in one category)"
    : k < 0
      ? "worse than chance"
      : k < 0.2
        ? "slight"
        : k < 0.4
          ? "fair"
          : k < 0.6
            ? "moderate"
            : k < 0.8
              ? "substantial"
              : "almost perfect";

function formatValues(q: QueueDetail, values: Record<string, boolean | number | string>): string {
  return q.fields
    .filter((f) => values[f.key] !== undefined)
    .map((f) => {
      const v = values[f.key];
      const text = typeof v === "boolean" ? (v ? "yes" : "no") : String(v);
      return `${f.label}: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`;
    })
    .join(" · ");
}

export function QueueView({ queueId }: { queueId: string }) {
  const query = useQuery({
    queryKey: queryKeys.labellingQueue(queueId),
    queryFn: () => labellingApi.queue(queueId),
    refetchInterval: 15_000,
  });
  return (
    <QueryState query={query} errorTitle="Could not load the queue">
      {(q) => <Detail q={q} />}
    </QueryState>
  );
}

function Detail({ q }: { q: QueueDetail }) {
  return (
    <>
      <Breadcrumb items={[{ label: "Labelling", href: "/labelling" }, { label: q.name }]} />
      <PageHeader
        title={q.name}
        description={q.description || undefined}
        actions={
          <div className="flex gap-2">
            <Link
              href={`/lineage?node=${encodeURIComponent(`queue:${q.id}`)}`}
              className="inline-flex items-center rounded-md border border-border bg-card px-3 py-1.5 text-sm font-medium hover:bg-muted"
            >
              Lineage
            </Link>
            <Can permission="label">
              <Link
                href={`/labelling/${q.id}/review`}
                className="inline-flex items-center rounded-md bg-primary px-3 py-1.5 text-sm font-medium text-primary-foreground hover:opacity-90"
              >
                Start labelling
              </Link>
            </Can>
          </div>
        }
      />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card aria-label="Progress">
          <CardTitle className="mb-3">Progress</CardTitle>
          <ProgressBar progress={{ total: q.itemCount, doneItems: q.doneItems, doneLabels: q.doneLabels }} />
          <p className="mt-2 text-sm">
            {q.doneLabels} labels given; an item is done after {q.overlap} reviewer{q.overlap > 1 ? "s" : ""}.
          </p>
          <ReviewerProgressTable q={q} />
        </Card>
        <Card aria-label="Agreement">
          <CardTitle className="mb-3">Agreement</CardTitle>
          {q.overlap < 2 ? (
            <p className="text-sm text-muted-foreground">Each item is labelled once (overlap 1), so there is no agreement to measure.</p>
          ) : q.agreement.length === 0 ? (
            <p className="text-sm text-muted-foreground">Agreement appears once at least two items have {q.overlap} labels each.</p>
          ) : (
            <Table caption="Inter-reviewer agreement per field (Cohen's or Fleiss' kappa)">
              <THead>
                <Tr>
                  <Th>Field</Th>
                  <Th>Method</Th>
                  <Th className="text-right">κ</Th>
                  <Th className="text-right">Agreed</Th>
                  <Th className="text-right">Items</Th>
                </Tr>
              </THead>
              <TBody>
                {q.agreement.map((a) => (
                  <Tr key={a.field}>
                    <Td>{a.field}</Td>
                    <Td>{a.method === "cohen" ? "Cohen" : `Fleiss, ${a.raters} raters`}</Td>
                    <Td numeric title={kappaWords(a.kappa)}>
                      {a.kappa === null ? "—" : a.kappa.toFixed(3)}{" "}
                      <span className="text-xs text-muted-foreground">{kappaWords(a.kappa)}</span>
                    </Td>
                    <Td numeric>{a.observed === null ? "—" : `${(a.observed * 100).toFixed(0)}%`}</Td>
                    <Td numeric>{a.items}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
        </Card>
        <Card aria-label="Label schema">
          <CardTitle className="mb-3">Labels</CardTitle>
          <Table caption="Label fields and the feedback metrics they write">
            <THead>
              <Tr>
                <Th>Field</Th>
                <Th>Type</Th>
                <Th>Metric</Th>
              </Tr>
            </THead>
            <TBody>
              {q.fields.map((f) => (
                <Tr key={f.key}>
                  <Td>
                    {f.label} {f.required ? null : <Badge>optional</Badge>}
                  </Td>
                  <Td>{f.type === "category" ? `category: ${(f.options ?? []).join(", ")}` : f.type === "score" ? "score 1–5" : f.type}</Td>
                  <Td className="font-mono text-xs">{f.metric}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </Card>
        <Card aria-label="Queue settings">
          <CardTitle className="mb-3">Settings</CardTitle>
          <KeyValueList
            items={[
              ["Items", String(q.itemCount)],
              ["Reviewers", q.reviewers.length ? q.reviewers.join(", ") : "open to anyone"],
              ["Claim timeout", `${q.claimTimeoutSeconds} s`],
              ["Blind to variant", q.blind ? "yes" : "no"],
              ["Created", readableTime(q.createdAt)],
            ]}
          />
          <p className="mt-3 mb-1 text-xs font-medium text-muted-foreground">Selection</p>
          <CodeBlock text={JSON.stringify(q.source, null, 2)} label="Selection" maxHeight="10rem" />
        </Card>
      </div>
      <Card aria-label="Recent labels" className="mt-4">
        <CardTitle className="mb-3">Recent labels</CardTitle>
        {q.recent.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            Labels appear here as reviewers give them; each is also feedback on its inference.
          </p>
        ) : (
          <Table caption="The latest labels, newest first">
            <THead>
              <Tr>
                <Th>Item</Th>
                <Th>Reviewer</Th>
                <Th>Labels</Th>
                <Th>When</Th>
              </Tr>
            </THead>
            <TBody>
              {q.recent.map((r) => (
                <Tr key={r.claimId}>
                  <Td>
                    <Link className="hover:underline" href={`/inferences/${r.inferenceId}`}>
                      #{r.position + 1}
                    </Link>
                  </Td>
                  <Td>{r.reviewer}</Td>
                  <Td>{formatValues(q, r.values)}</Td>
                  <Td className="whitespace-nowrap">{readableTime(r.completedAt)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      <Can permission="edit">
        <SaveDatasetForm queue={q} />
      </Can>
    </>
  );
}
