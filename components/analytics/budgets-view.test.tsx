// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { BudgetStatus } from "@/lib/budgets/schemas";
import { queryKeys } from "@/lib/query/keys";
import { BudgetsView } from "./budgets-view";

afterEach(cleanup);

/** As the Cost page renders it: the status prefetched on the server. */
function withStatus(status: BudgetStatus) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
  client.setQueryData(queryKeys.budgets(), status);
  return render(
    <QueryClientProvider client={client}>
      <BudgetsView />
    </QueryClientProvider>,
  );
}

const window = { window_start: "2026-12-05T00:00:00.000Z", window_end: "2026-12-06T00:00:00.000Z" };

describe("BudgetsView", () => {
  it("shows each limit's spend vs budget, over-budget block limits as refusing", () => {
    withStatus({
      store: "postgres",
      limits: [
        {
          name: "daily",
          scope: "function",
          match: "summarize",
          mode: "block",
          rows: [{ subject: "summarize", metric: "cost_per_day", max: 2, used: 2.5, share: 1.25, ...window }],
        },
        {
          name: "per-key",
          scope: "api_key",
          match: "*",
          mode: "alert",
          rows: [{ subject: "ci", metric: "requests_per_minute", max: 100, used: 40, share: 0.4, ...window }],
        },
      ],
    });
    const rows = screen.getAllByTestId("budget-row");
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain("daily");
    expect(rows[0]!.textContent).toContain("cost / day (UTC)");
    expect(rows[0]!.textContent).toContain("refusing");
    expect(screen.getByRole("img", { name: "125% used" })).toBeTruthy();
    expect(rows[1]!.textContent).toContain("api key ci (each)");
    expect(rows[1]!.textContent).toContain("alert");
    expect(screen.getByRole("table").textContent).toContain("counters in postgres");
  });

  it("says how to declare limits when there are none", () => {
    withStatus({ store: null, limits: [] });
    expect(screen.getByText(/No limits declared/)).toBeTruthy();
  });
});
