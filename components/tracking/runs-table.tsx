"use client";

import { keepPreviousData, useQueries, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Field, Select } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";
import { SortableTh, TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { fetchColumns, fetchRunsPage, runsPageKey } from "@/lib/experiments/api";
import { ATTRIBUTE_COLUMNS, columnLabel, normaliseColumns, orderByFor, parseColumnId } from "@/lib/experiments/columns";
import { formatMetric, formatTime, runDuration } from "@/lib/experiments/format";
import { nestRuns } from "@/lib/experiments/nesting";
import { PAGE_SIZES, runsState, type RunRowData, type RunsState } from "@/lib/experiments/schemas";
import { queryKeys } from "@/lib/query/keys";
import { useSearchState } from "@/lib/url/use-search-state";
import { ColumnChooser } from "./column-chooser";
import { FilterBox } from "./filter-box";

export const runHref = (run: { experimentId: string; runId: string }) => `/experiments/${run.experimentId}/runs/${run.runId}`;
export const versionHref = (v: { name: string; version: number; isPrompt: boolean }) =>
  `/registry/${v.isPrompt ? "prompts" : "models"}/${encodeURIComponent(v.name)}/versions/${v.version}`;

const STATUS_TONE: Record<string, "success" | "danger" | "warning" | "neutral"> = {
  FINISHED: "success",
  FAILED: "danger",
  KILLED: "danger",
  RUNNING: "warning",
};

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONE[status] ?? "neutral"}>{status.toLowerCase()}</Badge>;
}

/** Resolves what the runs query asks for: the fixed experiment of a page, or the URL's list. */
export function effectiveRunsState(state: RunsState, fixedExperimentIds?: string[]): RunsState {
  return fixedExperimentIds ? { ...state, exp: fixedExperimentIds } : state;
}

export function useRunsPage(state: RunsState) {
  const key = runsPageKey(state);
  return useQuery({ queryKey: queryKeys.runs(key), queryFn: () => fetchRunsPage(key), placeholderData: keepPreviousData });
}

export function useRunColumns(experimentIds: string[]) {
  return useQuery({
    queryKey: queryKeys.runColumns(experimentIds),
    queryFn: () => fetchColumns(experimentIds),
    enabled: experimentIds.length > 0,
  });
}

function Cell({ run, column }: { run: RunRowData; column: string }) {
  const parsed = parseColumnId(column);
  if (!parsed) return <Td>—</Td>;
  switch (parsed.kind) {
    case "metric":
      return <Td numeric>{formatMetric(run.metrics[parsed.key])}</Td>;
    case "param":
      // Cut with an ellipsis past 12rem; the title gives the whole value.
      return (
        <Td className="max-w-48 truncate font-mono text-xs" title={run.params[parsed.key]}>
          {run.params[parsed.key] ?? "—"}
        </Td>
      );
    case "tag":
      return (
        <Td className="max-w-48 truncate text-xs" title={run.tags[parsed.key]}>
          {run.tags[parsed.key] ?? "—"}
        </Td>
      );
    case "attr":
      return <Td>{parsed.key}</Td>;
  }
}

/**
 * The runs table of one or several experiments: server-side pages, sort and filter (MLflow's DSL),
 * chosen metric/param/tag columns, nested child runs, selection for comparison. All of it lives
 * in the URL, so a link shows the same table.
 */
export function RunsView({ fixedExperimentIds }: { fixedExperimentIds?: string[] }) {
  const [urlState, update] = useSearchState(runsState, { shallow: true });
  const state = effectiveRunsState(urlState, fixedExperimentIds);
  const page = useRunsPage(state);
  const columnKeys = useRunColumns(state.exp);
  const [selected, setSelected] = useState<string[]>([]);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());

  const chosen = normaliseColumns(state.cols);
  const shown = chosen.length ? chosen : (columnKeys.data?.metrics.slice(0, 4).map((k) => `metric:${k}`) ?? []);
  const runs = page.data?.runs ?? [];
  const onPage = new Set(runs.map((r) => r.runId));
  const toFetch = [...expanded].filter((id) =>
    runs.some((r) => r.runId === id && r.childCount > runs.filter((c) => c.parentRunId === id).length),
  );
  const children = useQueries({
    queries: toFetch.map((parent) => {
      const key = {
        ...runsPageKey(state),
        filter: `tags.\`mlflow.parentRunId\` = '${parent}'`,
        sort: "attr:start_time",
        dir: "asc" as const,
        page: 1,
        size: 200,
      };
      return { queryKey: queryKeys.runs(key), queryFn: () => fetchRunsPage(key) };
    }),
  });
  const fetchedChildren = new Map(toFetch.map((id, i) => [id, children[i]?.data?.runs ?? []]));
  const rows = nestRuns(runs, expanded, fetchedChildren);

  const sortProps = (column: string, numeric?: boolean) => ({
    direction: state.sort === column ? state.dir : undefined,
    onSort: (dir: "asc" | "desc") => update({ sort: column, dir, page: null }),
    numeric,
  });
  const attributeHeader = (c: (typeof ATTRIBUTE_COLUMNS)[number]) =>
    c.sortable ? (
      <SortableTh key={c.key} label={c.label} {...sortProps(`attr:${c.key}`, c.key === "start_time")} />
    ) : (
      <Th key={c.key}>{c.label}</Th>
    );
  const toggleSelected = (id: string, on: boolean) => setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));
  const first = (state.page - 1) * state.size + 1;
  const filterError =
    page.error instanceof Error && /filter|comparator|quoted|clause|entity|attribute|order_by|Invalid/i.test(page.error.message)
      ? page.error.message
      : undefined;

  return (
    <div>
      <div className="mb-3 flex flex-wrap items-start gap-3">
        <FilterBox
          value={state.filter}
          onApply={(filter) => update({ filter, page: null })}
          known={columnKeys.data}
          serverError={filterError}
        />
        <Field label="Runs">
          {(props) => (
            <Select {...props} value={state.view} onChange={(e) => update({ view: e.target.value, page: null })}>
              <option value="active">Active</option>
              <option value="deleted">Deleted</option>
              <option value="all">All</option>
            </Select>
          )}
        </Field>
        <div className="flex flex-col gap-1">
          <span className="text-xs font-medium text-muted-foreground">Columns</span>
          <ColumnChooser keys={columnKeys.data} chosen={shown} onChange={(cols) => update({ cols })} />
        </div>
      </div>

      <div className="mb-2 flex flex-wrap items-center justify-between gap-2 text-sm">
        <p role="status" className="text-muted-foreground">
          {page.data
            ? page.data.total === 0
              ? "No runs match"
              : `Runs ${first.toLocaleString("en")}–${(first + runs.length - 1).toLocaleString("en")} of ${page.data.total.toLocaleString("en")}`
            : page.isPending
              ? "Loading runs…"
              : ""}
          {page.isFetching && page.data ? " · updating…" : ""}
        </p>
        <div className="flex items-center gap-2">
          <Link
            aria-disabled={selected.length < 2}
            href={selected.length >= 2 ? `/experiments/compare?${selected.map((id) => `runs=${id}`).join("&")}` : "#"}
            onClick={(e) => {
              if (selected.length < 2) e.preventDefault();
            }}
            className={
              selected.length >= 2
                ? "rounded-md bg-primary px-3 py-1.5 font-medium text-primary-foreground"
                : "rounded-md border border-border px-3 py-1.5 text-muted-foreground"
            }
          >
            Compare {selected.length ? `${selected.length} runs` : "(select 2 or more)"}
          </Link>
          {selected.length ? (
            <Button size="sm" variant="ghost" onClick={() => setSelected([])}>
              Clear selection
            </Button>
          ) : null}
        </div>
      </div>

      {page.error && !filterError ? (
        <ErrorState title="Could not load the runs" error={page.error} onRetry={() => void page.refetch()} />
      ) : null}
      {page.isPending ? <Skeleton rows={8} label="Loading runs" /> : null}
      {page.data && page.data.total === 0 ? (
        <EmptyState title={state.filter ? "No run matches this filter" : "No runs yet"}>
          {state.filter ? (
            <p>Loosen the filter, or clear it to see every run.</p>
          ) : (
            <p>
              Log a run into this experiment with any MLflow client (<code>mlflow.start_run()</code>); it appears here.
            </p>
          )}
        </EmptyState>
      ) : null}
      {page.data && runs.length > 0 ? (
        <Table caption="Runs">
          <THead>
            <tr>
              <Th className="w-8">
                <span className="sr-only">Select</span>
              </Th>
              {ATTRIBUTE_COLUMNS.filter((c) => c.lead).map(attributeHeader)}
              {shown.map((column) =>
                orderByFor(column, "asc") ? (
                  <SortableTh key={column} label={columnLabel(column)} {...sortProps(column, column.startsWith("metric:"))} />
                ) : (
                  <Th key={column}>{columnLabel(column)}</Th>
                ),
              )}
              {ATTRIBUTE_COLUMNS.filter((c) => !c.lead).map(attributeHeader)}
            </tr>
          </THead>
          <TBody>
            {rows.map(({ run, depth }) => (
              <Tr key={`${run.runId}-${depth}`} className={onPage.has(run.runId) || depth === 0 ? undefined : "bg-muted/30"}>
                <Td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${run.runName}`}
                    checked={selected.includes(run.runId)}
                    onChange={(e) => toggleSelected(run.runId, e.target.checked)}
                  />
                </Td>
                <Td className="whitespace-nowrap">
                  <span style={{ paddingLeft: `${depth * 1.25}rem` }} className="inline-flex items-center gap-1">
                    {run.childCount > 0 ? (
                      <button
                        type="button"
                        aria-expanded={expanded.has(run.runId)}
                        aria-label={`${expanded.has(run.runId) ? "Hide" : "Show"} ${run.childCount} child runs of ${run.runName}`}
                        onClick={() =>
                          setExpanded((s) => {
                            const next = new Set(s);
                            if (next.has(run.runId)) next.delete(run.runId);
                            else next.add(run.runId);
                            return next;
                          })
                        }
                        className="rounded px-1 text-xs hover:bg-muted"
                      >
                        {expanded.has(run.runId) ? "▾" : "▸"} {run.childCount}
                      </button>
                    ) : depth > 0 ? (
                      <span aria-hidden className="text-muted-foreground">
                        ↳
                      </span>
                    ) : null}
                    <Link href={runHref(run)} className="font-medium text-primary hover:underline">
                      {run.runName || run.runId.slice(0, 8)}
                    </Link>
                  </span>
                </Td>
                <Td>
                  <StatusBadge status={run.status} />
                </Td>
                <Td className="whitespace-nowrap tabular-nums">{formatTime(run.startTime)}</Td>
                <Td className="whitespace-nowrap tabular-nums">{runDuration(run)}</Td>
                {shown.map((column) => (
                  <Cell key={column} run={run} column={column} />
                ))}
                <Td className="text-xs">
                  {run.datasets.length
                    ? run.datasets.map((d) => (
                        <span key={`${d.name}@${d.digest}`} className="block whitespace-nowrap" title={`digest ${d.digest}`}>
                          {d.name}
                          {d.context ? <span className="text-muted-foreground"> ({d.context})</span> : null}
                        </span>
                      ))
                    : "—"}
                </Td>
                <Td className="text-xs">
                  {run.models.length
                    ? run.models.map((m) => (
                        <Link
                          key={`${m.name}/${m.version}`}
                          href={versionHref(m)}
                          className="block whitespace-nowrap text-primary hover:underline"
                        >
                          {m.name} v{m.version}
                        </Link>
                      ))
                    : "—"}
                </Td>
                <Td className="text-xs">{run.userId || "—"}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      ) : null}
      {page.data && page.data.total > 0 ? (
        <nav aria-label="Pages of runs" className="mt-3 flex flex-wrap items-center gap-2 text-sm">
          <Button size="sm" disabled={state.page <= 1} onClick={() => update({ page: state.page - 1 > 1 ? state.page - 1 : null })}>
            ← Previous
          </Button>
          <span className="tabular-nums">
            Page {state.page} of {Math.max(1, Math.ceil(page.data.total / state.size)).toLocaleString("en")}
          </span>
          <Button size="sm" disabled={!page.data.hasNext} onClick={() => update({ page: state.page + 1 })}>
            Next →
          </Button>
          <label className="ml-auto flex items-center gap-2 whitespace-nowrap text-xs text-muted-foreground">
            Rows per page
            <Select value={state.size} onChange={(e) => update({ size: e.target.value, page: null })}>
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </Select>
          </label>
        </nav>
      ) : null}
    </div>
  );
}
