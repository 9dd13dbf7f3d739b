"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Select } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { SortableTh, TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { fetchExperiments } from "@/lib/experiments/api";
import { formatTime } from "@/lib/experiments/format";
import { experimentsState, type ExperimentsState } from "@/lib/experiments/schemas";
import { queryKeys } from "@/lib/query/keys";
import { useSearchState } from "@/lib/url/use-search-state";
import { useDebouncedCommit } from "./use-debounced";

export function useExperiments(state: ExperimentsState) {
  return useQuery({ queryKey: queryKeys.experiments(state), queryFn: () => fetchExperiments(state), placeholderData: keepPreviousData });
}

type SortKey = ExperimentsState["sort"];

/** The experiments list: name search, active/deleted filter, sortable counts and activity. */
export function ExperimentsList() {
  const [state, update] = useSearchState(experimentsState, { shallow: true });
  const query = useExperiments(state);
  const [search, setSearch, flushSearch] = useDebouncedCommit(state.q, (q) => update({ q }));
  const [selected, setSelected] = useState<string[]>([]);
  const sortProps = (key: SortKey, numeric?: boolean) => ({
    direction: state.sort === key ? state.dir : undefined,
    onSort: (dir: "asc" | "desc") => update({ sort: key, dir }),
    numeric,
  });
  const compareHref = `/experiments/runs?${selected.map((id) => `exp=${encodeURIComponent(id)}`).join("&")}`;

  return (
    <div>
      <div className="mb-4 flex flex-wrap items-end gap-3">
        <Field label="Search experiments" className="min-w-64 flex-1">
          {(props) => (
            <Input
              {...props}
              type="search"
              value={search}
              placeholder="Name contains…"
              onChange={(e) => setSearch(e.target.value)}
              onBlur={flushSearch}
            />
          )}
        </Field>
        <Field label="Show">
          {(props) => (
            <Select {...props} value={state.view} onChange={(e) => update({ view: e.target.value })}>
              <option value="active">Active</option>
              <option value="deleted">Deleted</option>
              <option value="all">All</option>
            </Select>
          )}
        </Field>
        {selected.length > 1 ? (
          <Link href={compareHref} className="rounded-md bg-primary px-3 py-1.5 text-sm font-medium text-primary-foreground">
            Runs of {selected.length} experiments
          </Link>
        ) : null}
      </div>
      <QueryState query={query} errorTitle="Could not load the experiments">
        {({ experiments }) =>
          experiments.length === 0 ? (
            <EmptyState title={state.q || state.view !== "active" ? "No experiment matches" : "No experiments yet"}>
              {state.q || state.view !== "active" ? (
                <p>Clear the search or show all experiments.</p>
              ) : (
                <p>
                  Point an MLflow client at this server (<code>MLFLOW_TRACKING_URI=http://localhost:3000</code>) and log a run; it appears
                  here.
                </p>
              )}
            </EmptyState>
          ) : (
            <>
              <p role="status" className="mb-2 text-sm text-muted-foreground">
                {experiments.length} experiment{experiments.length === 1 ? "" : "s"}
                {selected.length ? ` · ${selected.length} selected (choose two or more to see their runs together)` : ""}
              </p>
              <Table caption="Experiments">
                <THead>
                  <tr>
                    <Th className="w-8">
                      <span className="sr-only">Select</span>
                    </Th>
                    <SortableTh label="Name" {...sortProps("name")} />
                    <SortableTh label="Runs" {...sortProps("runs", true)} />
                    <SortableTh label="Last activity" {...sortProps("activity", true)} />
                    <SortableTh label="Created" {...sortProps("created", true)} />
                  </tr>
                </THead>
                <TBody>
                  {experiments.map((e) => {
                    const last = Math.max(e.lastUpdateTime, e.lastRunTime ?? 0);
                    return (
                      <Tr key={e.experimentId}>
                        <Td>
                          <input
                            type="checkbox"
                            aria-label={`Select ${e.name}`}
                            checked={selected.includes(e.experimentId)}
                            onChange={(ev) =>
                              setSelected((s) => (ev.target.checked ? [...s, e.experimentId] : s.filter((x) => x !== e.experimentId)))
                            }
                          />
                        </Td>
                        <Td>
                          <Link href={`/experiments/${e.experimentId}`} className="font-medium text-primary hover:underline">
                            {e.name}
                          </Link>
                          {e.lifecycleStage === "deleted" ? (
                            <span className="ml-2">
                              <Badge tone="danger">deleted</Badge>
                            </span>
                          ) : null}
                          {e.description ? (
                            <p className="mt-0.5 max-w-xl truncate text-xs text-muted-foreground" title={e.description}>
                              {e.description}
                            </p>
                          ) : null}
                        </Td>
                        <Td numeric>{e.runCount.toLocaleString("en")}</Td>
                        <Td numeric>{formatTime(last)}</Td>
                        <Td numeric>{formatTime(e.creationTime)}</Td>
                      </Tr>
                    );
                  })}
                </TBody>
              </Table>
            </>
          )
        }
      </QueryState>
    </div>
  );
}
