import { fetchJson } from "@/lib/query/fetch-json";
import { columnsReply, experimentsReply, runsReply, type ExperimentsState, type RunsState } from "./schemas";

/** Browser-side fetchers of the experiments area's JSON routes (the pages prefetch the same data on the server). */
function query(params: Record<string, string | number>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "") search.set(k, String(v));
  search.sort();
  return search.toString();
}

export const fetchExperiments = (state: ExperimentsState) => fetchJson(`/api/experiments?${query(state)}`, experimentsReply);

export type RunsPageKey = Omit<RunsState, "cols">;

/** The part of the runs state that changes which rows come back (not the shown columns). */
export const runsPageKey = ({ cols: _cols, ...rest }: RunsState): RunsPageKey => rest;

export const fetchRunsPage = (state: RunsPageKey) =>
  fetchJson(`/api/experiments/runs?${query({ ...state, exp: state.exp.join(",") })}`, runsReply);

export const fetchColumns = (experimentIds: readonly string[]) => fetchJson(`/api/experiments/columns?${query({ exp: experimentIds.join(",") })}`, columnsReply);
