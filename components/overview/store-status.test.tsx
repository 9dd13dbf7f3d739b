// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { StoreStatus } from "./store-status";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function withHealth(body: unknown) {
  vi.stubGlobal("fetch", () => Promise.resolve(Response.json(body)));
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <StoreStatus />
    </QueryClientProvider>,
  );
}

const store = { ok: true, kind: "embedded", engine: "PGlite", version: "0.5", location: "/data/postgres", latencyMs: 2 };

describe("StoreStatus", () => {
  it("shows a non-admin only whether the stores are up (the API tells them no more)", async () => {
    withHealth({ status: "ok" });
    expect(await screen.findByText("All stores healthy")).toBeTruthy();
    expect(screen.getByText(/shown to admins/)).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows an admin each store", async () => {
    withHealth({
      status: "ok",
      app: { version: "0.1.0", uptimeSeconds: 5 },
      stores: { postgres: store, clickhouse: { ...store, engine: "chDB", location: "/data/clickhouse" } },
    });
    expect(await screen.findByRole("region", { name: "Postgres status" })).toBeTruthy();
    expect(screen.getByText("PGlite (embedded)")).toBeTruthy();
    expect(screen.queryByText(/shown to admins/)).toBeNull();
  });
});
