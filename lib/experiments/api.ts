import { fetchJson } from "@/lib/query/fetch-json";
import { artifactsReply } from "./artifacts";
import { z } from "zod";
import {
  columnsReply,
  experimentsReply,
  historyReply,
  runDetailReply,
  runRow,
  runsReply,
  type ExperimentsState,
  type RunsState,
} from "./schemas";

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

export const fetchColumns = (experimentIds: readonly string[]) =>
  fetchJson(`/api/experiments/columns?${query({ exp: experimentIds.join(",") })}`, columnsReply);

export const fetchArtifacts = (runId: string, root: string, path: string) =>
  fetchJson(`/api/runs/${encodeURIComponent(runId)}/artifacts?${query({ root, path })}`, artifactsReply);

export const fetchRunDetail = (runId: string) => fetchJson(`/api/runs/${encodeURIComponent(runId)}`, runDetailReply);

export const fetchHistory = (input: { runs: string[]; keys: string[]; x: "step" | "time" }) =>
  fetchJson(`/api/runs/history?${query({ runs: input.runs.join(","), keys: input.keys.join(","), x: input.x })}`, historyReply);

export const fetchCompareRuns = (runIds: readonly string[]) =>
  fetchJson(`/api/runs/compare?${query({ runs: runIds.join(",") })}`, z.object({ runs: z.array(runRow) }));

/** The history query of a chart view; wall and relative time both read timestamps. */
export const historyInput = (runs: readonly string[], keys: readonly string[], x: "step" | "relative" | "wall") => ({
  runs: [...runs],
  keys: [...keys],
  x: x === "step" ? ("step" as const) : ("time" as const),
});
