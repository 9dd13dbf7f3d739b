"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatUtc } from "@/lib/analytics/format";
import { functionPageState, functionsApiUrl } from "@/lib/analytics/page-state";
import { functionListSchema } from "@/lib/analytics/schemas";
import { formatValue } from "@/lib/charts/format";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";
import { useSearchState } from "@/lib/url/use-search-state";
import { RangePicker } from "./range-picker";

export function FunctionsList() {
  const [state, update] = useSearchState(functionPageState);
  const url = functionsApiUrl(state);
  const query = useQuery({ queryKey: queryKeys.functions(url), queryFn: () => fetchJson(url, functionListSchema) });
  return (
    <div className="space-y-4">
      <RangePicker state={state} onChange={update} />
      <QueryState query={query} loading={<Skeleton rows={5} label="Loading functions" />} errorTitle="Could not load the functions">
        {(data) =>
          data.functions.length === 0 ? (
            <EmptyState title="No traffic in this time range">
              <p>
                Functions appear here once the gateway records inferences for them. Try a longer range, or send a request through
                /api/v1/chat/completions.
              </p>
            </EmptyState>
          ) : (
            <Table caption="Functions with traffic in the range">
              <THead>
                <tr>
                  <Th>Function</Th>
                  <Th className="text-right">Variants</Th>
                  <Th className="text-right">Requests</Th>
                  <Th className="text-right">Error rate</Th>
                  <Th className="text-right">Latency p95</Th>
                  <Th className="text-right">Cost</Th>
                  <Th>Last seen</Th>
                </tr>
              </THead>
              <TBody>
                {data.functions.map((f) => (
                  <Tr key={f.name}>
                    <Td>
                      <Link
                        className="font-medium text-primary underline-offset-2 hover:underline"
                        href={`/functions/${encodeURIComponent(f.name)}${state.range ? `?range=${state.range}` : ""}`}
                      >
                        {f.name}
                      </Link>
                    </Td>
                    <Td numeric>{f.variants}</Td>
                    <Td numeric>{formatValue(f.requests, "count")}</Td>
                    <Td numeric>{formatValue(f.requests > 0 ? f.errors / f.requests : null, "percent")}</Td>
                    <Td numeric>{formatValue(f.latencyP95, "ms")}</Td>
                    <Td numeric>{formatValue(f.cost, "usd")}</Td>
                    <Td>{f.lastSeen === null ? "—" : formatUtc(f.lastSeen)}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )
        }
      </QueryState>
    </div>
  );
}
