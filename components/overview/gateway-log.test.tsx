// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Me } from "@/lib/accounts/schemas";
import type { RecorderStats } from "@/lib/gateway/recorder.server";
import { queryKeys } from "@/lib/query/keys";
import { GatewayLog } from "./gateway-log";

afterEach(cleanup);

const stats: RecorderStats = {
  buffered: 3,
  sending: 50,
  written: 1200,
  dropped: 0,
  rejected: 2,
  rejectedPending: 0,
  replayed: 0,
  replayedDuplicates: 0,
  failedFlushes: 0,
  lastError: null,
  lastRejection: null,
  spool: { files: 1, bytes: 4096, writeErrors: 0, replayed: 0, corruptLines: 0 },
};

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {} }) }));

const caller = (role: "admin" | "viewer"): Me => ({
  auth_enabled: true,
  caller: { kind: "user", name: `${role}@example.test`, role, scope: null, permissions: role === "admin" ? ["read", "admin"] : ["read"] },
  user: { id: "u1", email: `${role}@example.test`, name: role, role },
});

/** The overview as the dashboard layout renders it: with the caller already known. */
function asCaller(role: "admin" | "viewer", children: ReactNode) {
  const client = new QueryClient();
  client.setQueryData(queryKeys.me(), caller(role));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

const oneDeadLetter = {
  count: 2,
  by_table: { inferences: 2 },
  latest: [
    {
      id: 7,
      table: "inferences",
      error: "Cannot parse input: expected UInt32",
      error_code: "CANNOT_PARSE_INPUT_ASSERTION_FAILED",
      attempts: 1,
      last_failed_at: "2026-12-05T17:00:00.000Z",
    },
  ],
};

describe("GatewayLog", () => {
  it("offers the retry to admins only", () => {
    render(asCaller("admin", <GatewayLog stats={stats} deadLetters={oneDeadLetter} />));
    expect(screen.getByRole("button", { name: "Retry dead letters" })).toBeTruthy();
    cleanup();
    render(asCaller("viewer", <GatewayLog stats={stats} deadLetters={oneDeadLetter} />));
    expect(screen.queryByRole("button", { name: "Retry dead letters" })).toBeNull();
  });

  it("lists the latest dead letters with their error and how to retry them", () => {
    render(asCaller("viewer", <GatewayLog stats={stats} deadLetters={oneDeadLetter} />));
    expect(screen.getByText("1,200")).toBeTruthy();
    // Rows in an insert under way are still waiting.
    expect(screen.getByText("Rows waiting").nextElementSibling?.textContent).toBe("53");
    expect(screen.getByText("2 dead letters")).toBeTruthy();
    expect(screen.getByText("npx llmops gateway retry-dead-letters")).toBeTruthy();
    const table = screen.getByRole("table", { name: "Latest dead letters" });
    expect(within(table).getByText("Cannot parse input: expected UInt32")).toBeTruthy();
    expect(within(table).getByText("2026-12-05 17:00:00")).toBeTruthy();
  });

  it("says when there are none, and when Postgres cannot tell", () => {
    const { rerender } = render(<GatewayLog stats={stats} deadLetters={{ count: 0, by_table: {}, latest: [] }} />);
    expect(screen.getByText(/No dead letters/)).toBeTruthy();
    rerender(<GatewayLog stats={stats} deadLetters={null} />);
    expect(screen.getByText(/unavailable while Postgres is down/)).toBeTruthy();
  });
});
