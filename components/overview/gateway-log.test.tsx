// @vitest-environment jsdom
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { RecorderStats } from "@/lib/gateway/recorder.server";
import { GatewayLog } from "./gateway-log";

afterEach(cleanup);

const stats: RecorderStats = {
  buffered: 3,
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

describe("GatewayLog", () => {
  it("lists the latest dead letters with their error and how to retry them", () => {
    render(
      <GatewayLog
        stats={stats}
        deadLetters={{
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
        }}
      />,
    );
    expect(screen.getByText("1,200")).toBeTruthy();
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
