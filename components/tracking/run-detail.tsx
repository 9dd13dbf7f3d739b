"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { z } from "zod";
import { CodeBlock } from "@/components/ui/code-block";
import { EmptyState } from "@/components/ui/empty-state";
import { KeyValueList } from "@/components/ui/key-value";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { Tabs } from "@/components/ui/tabs";
import { fetchRunDetail } from "@/lib/experiments/api";
import { formatMetric, formatTime, runDuration } from "@/lib/experiments/format";
import type { RunDetailReply } from "@/lib/experiments/schemas";
import { queryKeys } from "@/lib/query/keys";
import { useSearchState } from "@/lib/url/use-search-state";
import { ArtifactsTab } from "./artifacts-tab";
import { ChartControls, MetricCharts } from "./metric-charts";
import { StatusBadge, runHref, versionHref } from "./runs-table";

const TABS = ["charts", "metrics", "params", "tags", "inputs", "artifacts"] as const;
const tabState = z.object({ tab: z.enum(TABS).default("charts") });
const chartsShownState = z.object({ charts: z.enum(["all"]).optional() });
/** Charts drawn at first; the rest behind "show all" so a run with 300 metrics stays quick. */
const FIRST_CHARTS = 12;

export function useRunDetail(runId: string) {
  return useQuery({ queryKey: queryKeys.run(runId), queryFn: () => fetchRunDetail(runId) });
}

function KeyValueTable({ caption, rows, empty }: { caption: string; rows: [string, string][]; empty: string }) {
  if (rows.length === 0) return <EmptyState title={empty} />;
  return (
    <Table caption={caption}>
      <THead>
        <tr>
          <Th>Key</Th>
          <Th>Value</Th>
        </tr>
      </THead>
      <TBody>
        {rows.map(([k, v]) => (
          <Tr key={k}>
            <Td className="font-mono text-xs">{k}</Td>
            <Td className="font-mono text-xs break-all whitespace-pre-wrap">{v}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

function RunBody({ detail }: { detail: RunDetailReply }) {
  const [{ tab }, update] = useSearchState(tabState, { shallow: true });
  const { run } = detail;
  const metricKeys = detail.latest.map((m) => m.key);
  const [showAll, setShowAll] = useSearchState(chartsShownState, { shallow: true });
  const chartKeys = showAll.charts === "all" ? metricKeys.slice(0, 20) : metricKeys.slice(0, FIRST_CHARTS);
  const userTags = Object.entries(run.tags).filter(([k]) => !k.startsWith("mlflow."));
  const systemTags = Object.entries(run.tags).filter(([k]) => k.startsWith("mlflow."));
  return (
    <>
      <section aria-label="Run facts" className="mb-6 grid gap-6 lg:grid-cols-[2fr_1fr]">
        <KeyValueList
          items={[
            ["Status", <StatusBadge key="s" status={run.status} />],
            [
              "Experiment",
              <Link key="e" href={`/experiments/${run.experimentId}`} className="text-primary hover:underline">
                {detail.experimentName}
              </Link>,
            ],
            ["Started", formatTime(run.startTime)],
            ["Duration", runDuration(run)],
            ["User", run.userId || undefined],
            [
              "Run ID",
              <code key="id" className="text-xs">
                {run.runId}
              </code>,
            ],
            [
              "Artifacts",
              <code key="a" className="text-xs break-all">
                {detail.artifactUri}
              </code>,
            ],
            ["Lifecycle", run.lifecycleStage === "active" ? undefined : run.lifecycleStage],
            [
              "Parent run",
              detail.parent ? (
                <Link key="p" href={runHref(detail.parent)} className="text-primary hover:underline">
                  {detail.parent.runName}
                </Link>
              ) : undefined,
            ],
          ]}
        />
        <div className="space-y-4 text-sm">
          <div>
            <h2 className="mb-1 text-xs font-semibold text-muted-foreground uppercase">Registered versions</h2>
            {run.models.length ? (
              <ul>
                {run.models.map((m) => (
                  <li key={`${m.name}/${m.version}`}>
                    <Link href={versionHref(m)} className="text-primary hover:underline">
                      {m.isPrompt ? "Prompt" : "Model"} {m.name} v{m.version}
                    </Link>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-muted-foreground">None registered from this run.</p>
            )}
          </div>
          <div>
            <h2 className="mb-1 text-xs font-semibold text-muted-foreground uppercase">Child runs ({run.childCount})</h2>
            {detail.children.length ? (
              <ul className="max-h-48 overflow-auto">
                {detail.children.map((c) => (
                  <li key={c.runId} className="flex items-center gap-2">
                    <Link href={runHref(c)} className="text-primary hover:underline">
                      {c.runName}
                    </Link>
                    <StatusBadge status={c.status} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-muted-foreground">No nested runs.</p>
            )}
          </div>
        </div>
      </section>
      <Tabs
        label="Run sections"
        selected={tab}
        onSelect={(next) => update({ tab: next === "charts" ? null : next, root: null, path: null })}
        tabs={[
          { key: "charts", label: `Charts (${metricKeys.length})` },
          { key: "metrics", label: "Latest metrics" },
          { key: "params", label: `Parameters (${Object.keys(run.params).length})` },
          { key: "tags", label: `Tags (${Object.keys(run.tags).length})` },
          { key: "inputs", label: `Datasets (${detail.inputs.length})` },
          { key: "artifacts", label: "Artifacts" },
        ]}
      >
        {tab === "charts" ? (
          metricKeys.length === 0 ? (
            <EmptyState title="This run logged no metrics">
              <p>
                Log metrics with <code>mlflow.log_metric(key, value, step)</code>; their histories are charted here.
              </p>
            </EmptyState>
          ) : (
            <div className="space-y-4">
              <ChartControls />
              <MetricCharts runs={[{ runId: run.runId, runName: run.runName }]} keys={chartKeys} />
              {metricKeys.length > chartKeys.length ? (
                <button type="button" className="text-sm text-primary underline" onClick={() => setShowAll({ charts: "all" })}>
                  Show {Math.min(20, metricKeys.length) - chartKeys.length} more charts
                </button>
              ) : null}
            </div>
          )
        ) : null}
        {tab === "metrics" ? (
          detail.latest.length === 0 ? (
            <EmptyState title="No metrics logged" />
          ) : (
            <Table caption="Latest metrics">
              <THead>
                <tr>
                  <Th>Metric</Th>
                  <Th className="text-right">Latest value</Th>
                  <Th className="text-right">Step</Th>
                  <Th>Logged</Th>
                </tr>
              </THead>
              <TBody>
                {detail.latest.map((m) => (
                  <Tr key={m.key}>
                    <Td className="font-mono text-xs">{m.key}</Td>
                    <Td numeric>{formatMetric(m.value)}</Td>
                    <Td numeric>{m.step}</Td>
                    <Td className="tabular-nums">{formatTime(m.timestamp)}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )
        ) : null}
        {tab === "params" ? <KeyValueTable caption="Parameters" rows={Object.entries(run.params)} empty="No parameters logged" /> : null}
        {tab === "tags" ? (
          <div className="space-y-4">
            <KeyValueTable caption="Tags" rows={userTags} empty="No user tags" />
            <details>
              <summary className="cursor-pointer text-sm text-muted-foreground">System tags ({systemTags.length})</summary>
              <div className="mt-2">
                <KeyValueTable caption="System tags" rows={systemTags} empty="No system tags" />
              </div>
            </details>
          </div>
        ) : null}
        {tab === "artifacts" ? <ArtifactsTab runId={run.runId} /> : null}
        {tab === "inputs" ? (
          detail.inputs.length === 0 ? (
            <EmptyState title="No dataset inputs">
              <p>
                Log one with <code>mlflow.log_input(dataset, context=&quot;training&quot;)</code>.
              </p>
            </EmptyState>
          ) : (
            <ul className="space-y-4">
              {detail.inputs.map((d) => (
                <li key={`${d.name}@${d.digest}`} className="rounded-lg border border-border p-4">
                  <p className="font-medium">
                    {d.name} <span className="font-mono text-xs text-muted-foreground">@{d.digest}</span>
                    {d.tags.map((t) => (
                      <span key={t.key} className="ml-2 text-xs text-muted-foreground">
                        {t.key.replace("mlflow.data.", "")}: {t.value}
                      </span>
                    ))}
                  </p>
                  <p className="mt-1 text-xs text-muted-foreground">
                    Source ({d.sourceType}): <code>{d.source}</code>
                  </p>
                  {d.profile ? <CodeBlock className="mt-2" label={`${d.name} profile`} text={d.profile} maxHeight="10rem" /> : null}
                  {d.schema ? <CodeBlock className="mt-2" label={`${d.name} schema`} text={d.schema} maxHeight="10rem" /> : null}
                </li>
              ))}
            </ul>
          )
        ) : null}
      </Tabs>
    </>
  );
}

export function RunDetail({ runId }: { runId: string }) {
  const detail = useRunDetail(runId);
  return (
    <QueryState query={detail} errorTitle="Could not load this run">
      {(data) => <RunBody detail={data} />}
    </QueryState>
  );
}
