import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/query/keys";
import type { ClickHouseClient } from "@clickhouse/client";
import { inferenceListQuery } from "./inference-query";
import { browseInferences, getInferenceFacets, getInferenceOrThrow } from "./inferences.server";
import {
  abApiUrl,
  functionReportApiUrl,
  functionsApiUrl,
  inferencesApiUrl,
  type AbPageState,
  type FunctionPageState,
  type InferencePageState,
} from "./page-state";
import { rangeFromQuery, rangeQuery, tagFilters, withRange } from "./range";
import { getAbReport, getFunctionList, getFunctionReport } from "./service.server";
import { z } from "zod";

/**
 * Server prefetch of the analytics pages: the same URL the browser will fetch, parsed by the
 * same schema as its route, answered by the same service call (on the page's ClickHouse client),
 * under the same query key. A failure is left to the browser's fetch, which shows the API's message.
 */
const searchOf = (url: string) => new URL(url, "http://localhost").searchParams;

export async function prefetchFunctions(
  qc: QueryClient,
  clickhouse: ClickHouseClient,
  state: { range?: FunctionPageState["range"]; from?: number; to?: number },
) {
  const url = functionsApiUrl(state);
  await qc.prefetchQuery({
    queryKey: queryKeys.functions(url),
    queryFn: async () => getFunctionList(clickhouse, rangeFromQuery(rangeQuery.parse(Object.fromEntries(searchOf(url))))),
  });
}

export async function prefetchFunctionReport(qc: QueryClient, clickhouse: ClickHouseClient, name: string, state: FunctionPageState) {
  const url = functionReportApiUrl(name, state);
  const search = searchOf(url);
  await qc.prefetchQuery({
    queryKey: queryKeys.functionReport(url),
    queryFn: async () =>
      getFunctionReport(clickhouse, {
        name,
        range: rangeFromQuery(rangeQuery.parse(Object.fromEntries(search))),
        tags: tagFilters.parse(search.getAll("tag")),
      }),
  });
}

const abQuery = withRange({ metric: z.string().optional(), control: z.string().optional() });

export async function prefetchAb(qc: QueryClient, clickhouse: ClickHouseClient, name: string, state: AbPageState) {
  const url = abApiUrl(name, state);
  await qc.prefetchQuery({
    queryKey: queryKeys.ab(url),
    queryFn: async () => {
      const q = abQuery.parse(Object.fromEntries(searchOf(url)));
      return getAbReport(clickhouse, { name, metric: q.metric, control: q.control, range: rangeFromQuery(q) });
    },
  });
}

export async function prefetchInferences(qc: QueryClient, clickhouse: ClickHouseClient, state: InferencePageState) {
  const url = inferencesApiUrl(state);
  const facetsUrl = inferencesApiUrl(state, "/api/inferences/facets");
  const search = searchOf(url);
  const q = inferenceListQuery.safeParse(Object.fromEntries(search));
  if (!q.success) return;
  const tags = tagFilters.safeParse(search.getAll("tag"));
  await qc.prefetchQuery({
    queryKey: queryKeys.inferences(url),
    queryFn: async () => browseInferences(clickhouse, q.data, tags.data ?? []),
  });
  await qc.prefetchQuery({
    queryKey: queryKeys.inferenceFacets(facetsUrl),
    queryFn: async () => getInferenceFacets(clickhouse, q.data),
  });
}

export async function prefetchInference(qc: QueryClient, clickhouse: ClickHouseClient, id: string) {
  await qc.prefetchQuery({ queryKey: queryKeys.inference(id), queryFn: async () => getInferenceOrThrow(clickhouse, id) });
}
