"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { budgetStatusReply, type BudgetUsageRow } from "@/lib/budgets/schemas";
import { formatValue } from "@/lib/charts/format";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";

export const BUDGETS_API = "/api/budgets";

const METRIC = {
  requests_per_minute: { label: "requests / minute", unit: "count" },
  tokens_per_minute: { label: "tokens / minute", unit: "tokens" },
  cost_per_day: { label: "cost / day (UTC)", unit: "usd" },
  cost_per_month: { label: "cost / month (UTC)", unit: "usd" },
} as const;

function Bar({ share }: { share: number }) {
  const tone = share >= 1 ? "bg-danger" : share >= 0.8 ? "bg-warning" : "bg-success";
  return (
    <div className="h-2 w-32 overflow-hidden rounded bg-muted" role="img" aria-label={`${Math.round(share * 100)}% used`}>
      <div className={`h-full ${tone}`} style={{ width: `${Math.min(100, share * 100)}%` }} />
    </div>
  );
}

function Used({ r }: { r: BudgetUsageRow }) {
  const unit = METRIC[r.metric].unit;
  return (
    <>
      {formatValue(r.used, unit)} <span className="text-muted-foreground">of {formatValue(r.max, unit)}</span>
    </>
  );
}

/** Current spend vs budget of each `[budgets]` limit, read from the counters every instance shares. */
export function BudgetsView() {
  const query = useQuery({
    queryKey: queryKeys.budgets(),
    queryFn: () => fetchJson(BUDGETS_API, budgetStatusReply),
    refetchInterval: 15_000,
  });
  return (
    <section className="space-y-2" aria-labelledby="budgets-title">
      <h2 id="budgets-title" className="text-base font-semibold">
        Budgets and rate limits
      </h2>
      <QueryState query={query} loading={<Skeleton rows={3} label="Loading budgets" />} errorTitle="Could not load budgets">
        {(data) =>
          data.limits.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              No limits declared. Add <code>[budgets.limits.NAME]</code> to llmops.toml (see lib/budgets/README.md).
            </p>
          ) : (
            <>
              {data.error ? <p className="text-sm text-danger">{data.error}</p> : null}
              <Table caption={`Current windows; counters in ${data.store ?? "no store"}`}>
                <THead>
                  <tr>
                    <Th>Limit</Th>
                    <Th>Counts</Th>
                    <Th>Limit on</Th>
                    <Th className="text-right">Used</Th>
                    <Th>Share</Th>
                    <Th>Mode</Th>
                  </tr>
                </THead>
                <TBody>
                  {data.limits.flatMap((l) =>
                    l.rows.map((r) => (
                      <Tr key={`${l.name}/${r.metric}/${r.subject}`} data-testid="budget-row" data-share={r.share}>
                        <Td className="font-medium">{l.name}</Td>
                        <Td>
                          {l.scope.replace("_", " ")} {r.subject}
                          {l.match.endsWith("*") ? <span className="text-muted-foreground"> (each)</span> : null}
                        </Td>
                        <Td>{METRIC[r.metric].label}</Td>
                        <Td numeric>
                          <Used r={r} />
                        </Td>
                        <Td>
                          <Bar share={r.share} />
                        </Td>
                        <Td>
                          <Badge tone={r.share >= 1 ? (l.mode === "block" ? "danger" : "warning") : "neutral"}>
                            {r.share >= 1 ? (l.mode === "block" ? "refusing" : "over, alerting") : l.mode}
                          </Badge>
                        </Td>
                      </Tr>
                    )),
                  )}
                </TBody>
              </Table>
            </>
          )
        }
      </QueryState>
    </section>
  );
}
