// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Me } from "@/lib/accounts/schemas";
import { queryKeys } from "@/lib/query/keys";
import { ReviewScreen } from "./review-screen";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const queue = { id: "q1", name: "Review", fields: [], blind: true };
const nothingLeft = { item: null, progress: { total: 2, doneItems: 2, doneLabels: 2, mine: 1 } };

function renderAs(me: Me) {
  const sent: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal("fetch", (url: string, init: RequestInit) => {
    sent.push({ url, init });
    return Promise.resolve(Response.json(nothingLeft));
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(queryKeys.me(), me);
  render(
    <QueryClientProvider client={client}>
      <ReviewScreen queue={queue} />
    </QueryClientProvider>,
  );
  return sent;
}

describe("ReviewScreen", () => {
  it("labels as the signed-in account: no name to type, none sent", async () => {
    const sent = renderAs({
      auth_enabled: true,
      caller: { kind: "user", name: "rita@example.test", role: "reviewer", scope: null, permissions: ["read", "label"] },
      user: { id: "u1", email: "rita@example.test", name: "Rita", role: "reviewer" },
    });
    expect(screen.getByText("rita@example.test")).toBeTruthy();
    expect(screen.queryByLabelText("Your name")).toBeNull();
    expect(screen.queryByRole("button", { name: "change" })).toBeNull();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.url).toBe("/api/labelling/queues/q1/next");
    expect(JSON.parse(String(sent[0]?.init.body))).toEqual({});
    expect(new Headers(sent[0]?.init.headers).get("x-llmops-csrf")).toBe("1");
  });

  it("with auth off, asks for a name once (there are no accounts)", () => {
    renderAs({
      auth_enabled: false,
      caller: { kind: "open", name: "anonymous (auth off)", role: "admin", scope: null, permissions: ["read", "label", "edit", "admin"] },
      user: null,
    });
    fireEvent.change(screen.getByLabelText("Your name"), { target: { value: "Ann" } });
    fireEvent.click(screen.getByRole("button", { name: "Start labelling" }));
    expect(screen.getByText("Ann")).toBeTruthy();
    expect(screen.getByRole("button", { name: "change" })).toBeTruthy();
    expect(document.cookie).toContain("llmops_reviewer=Ann");
  });
});
