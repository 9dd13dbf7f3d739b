"use client";

import { useQuery } from "@tanstack/react-query";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { Tabs } from "@/components/ui/tabs";
import { usageApiUrl, usagePageState } from "@/lib/analytics/page-state";
import { usageReply, type UsageRow } from "@/lib/analytics/usage";
import { formatValue } from "@/lib/charts/format";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";
import { useSearchState } from "@/lib/url/use-search-state";
import { RangePicker } from "./range-picker";

const LABEL = { model: "Model", function: "Function", variant: "Function / variant", day: "Day (UTC)" } as const;

function Row({ r, total }: { r: UsageRow; total?: boolean }) {
  const Cell = total ? Th : Td;
  return (
    <Tr>
      <Cell className={total ? "text-left" : "font-medium"} {...(total ? { scope: "row" } : {})}>
        {total ? "Total" : r.key}
      </Cell>
      <Td numeric>{formatValue(r.requests, "count")}</Td>
      <Td numeric>{formatValue(r.inputTokens, "tokens")}</Td>
      <Td numeric>{formatValue(r.outputTokens, "tokens")}</Td>
      <Td numeric data-testid={total ? "total-cost" : undefined} data-value={total ? r.cost : undefined}>
        {formatValue(r.cost, "usd")}
      </Td>
      <Td numeric>{formatValue(r.requests ? r.cost / r.requests : null, "usd")}</Td>
      <Td numeric>
        {formatValue(r.cacheSavings, "usd")} <span className="text-muted-foreground">({formatValue(r.cacheHits, "count")} hits)</span>
      </Td>
      <Td numeric>
        {formatValue(r.errors, "count")}{" "}
        <span className="text-muted-foreground">({formatValue(r.requests ? r.errors / r.requests : null, "percent")})</span>
      </Td>
    </Tr>
  );
}

/** Recorded spend by model, function, variant or day: the sums of what each inference cost. */
export function UsageView() {
  const [state, update] = useSearchState(usagePageState);
  const url = usageApiUrl(state);
  const query = useQuery({ queryKey: queryKeys.usage(url), queryFn: () => fetchJson(url, usageReply) });
  return (
    <div className="space-y-4">
      <RangePicker state={state} onChange={update} />
      <Tabs
        label="Group by"
        selected={state.by}
        onSelect={(by) => update({ by: by === "model" ? null : by })}
        tabs={(Object.keys(LABEL) as (keyof typeof LABEL)[]).map((key) => ({ key, label: `By ${key}` }))}
      >
        <QueryState query={query} loading={<Skeleton rows={6} label="Loading usage" />} errorTitle="Could not load usage">
          {(data) =>
            data.rows.length === 0 ? (
              <EmptyState title="No inferences in this range">
                <p>Pick a longer range.</p>
              </EmptyState>
            ) : (
              <Table caption={`Cost and usage by ${state.by}`}>
                <THead>
                  <tr>
                    <Th>{LABEL[data.by]}</Th>
                    <Th className="text-right">Requests</Th>
                    <Th className="text-right">Tokens in</Th>
                    <Th className="text-right">Tokens out</Th>
                    <Th className="text-right">Cost (USD)</Th>
                    <Th className="text-right">Per request</Th>
                    <Th className="text-right">Cache savings</Th>
                    <Th className="text-right">Errors</Th>
                  </tr>
                </THead>
                <TBody>
                  {data.rows.map((r) => (
                    <Row key={r.key} r={r} />
                  ))}
                  <Row r={data.total} total />
                </TBody>
              </Table>
            )
          }
        </QueryState>
      </Tabs>
      <p className="text-xs text-muted-foreground">
        Cost is what each inference recorded (its tokens at its model&apos;s price); cache hits cost nothing, and their savings are priced
        at today&apos;s configured prices. Evaluation and playground traffic count too: they are spend.
      </p>
    </div>
  );
}
