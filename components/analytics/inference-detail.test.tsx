// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { InferenceDetail } from "@/lib/analytics/schemas";
import { queryKeys } from "@/lib/query/keys";
import { InferenceDetailView } from "./inference-detail";

afterEach(cleanup);

const id = "0193a5b0-0000-7000-8000-000000000001";
const detail: InferenceDetail = {
  id,
  episodeId: "0193a5b0-0000-7000-8000-0000000000e1",
  functionName: "summarize",
  variantName: "concise",
  modelName: "fast",
  providerName: "backup",
  promptVersion: "summarize.concise/1",
  input: JSON.stringify({ variables: { ticket: "<img src=x onerror=alert(1)>" } }),
  output: JSON.stringify({ content: "<script>alert('x')</script> **bold**", finish_reason: "stop" }),
  inputTokens: 10,
  outputTokens: 5,
  cost: 0.0001,
  latencyMs: 900,
  ttftMs: 120,
  status: "ok",
  error: "",
  cached: false,
  streamed: true,
  tags: { team: "billing" },
  timestamp: Date.parse("2026-11-20T10:00:00Z"),
  traceId: null,
  guardrails: [
    { name: "no_pii", kind: "pii", stage: "input", mode: "redact", outcome: "redacted", detail: "email:2", durationMs: 0.042 },
    { name: "topics", kind: "deny_list", stage: "output", mode: "monitor", outcome: "pass", detail: "", durationMs: 0.01 },
  ],
  modelCalls: [
    {
      id: "c1",
      attempt: 0,
      modelName: "fast",
      providerName: "primary",
      status: "error",
      error: "503 overloaded",
      latencyMs: 100,
      ttftMs: null,
      inputTokens: 0,
      outputTokens: 0,
      cost: 0,
      request: JSON.stringify({
        model: "fast-1",
        messages: [
          { role: "system", content: "Be brief" },
          { role: "user", content: "Ticket: <img>" },
        ],
      }),
      response: "",
      timestamp: 0,
    },
    {
      id: "c2",
      attempt: 1,
      modelName: "fast",
      providerName: "primary",
      status: "error",
      error: "503 overloaded",
      latencyMs: 100,
      ttftMs: null,
      inputTokens: 0,
      outputTokens: 0,
      cost: 0,
      request: "{}",
      response: "",
      timestamp: 0,
    },
    {
      id: "c3",
      attempt: 2,
      modelName: "fast",
      providerName: "backup",
      status: "ok",
      error: "",
      latencyMs: 700,
      ttftMs: 120,
      inputTokens: 10,
      outputTokens: 5,
      cost: 0.0001,
      request: "{}",
      response: "{}",
      timestamp: 0,
    },
  ],
  feedback: [
    {
      id: "f1",
      targetType: "episode",
      metricName: "resolved",
      kind: "boolean",
      value: 1,
      text: "",
      tags: { "llmops.source": "human" },
      timestamp: 0,
    },
  ],
  episode: [{ id, variantName: "concise", timestamp: 0 }],
};

function renderDetail() {
  const client = new QueryClient();
  client.setQueryData(queryKeys.inference(id), detail);
  return render(
    <QueryClientProvider client={client}>
      <InferenceDetailView id={id} />
    </QueryClientProvider>,
  );
}

describe("InferenceDetailView", () => {
  it("renders model text as text, never as markup", () => {
    const { container } = renderDetail();
    expect(screen.getByLabelText("Output text").textContent).toBe("<script>alert('x')</script> **bold**");
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("img")).toBeNull();
  });
  it("shows the variables, the messages the model saw, and names retries and fallbacks", () => {
    renderDetail();
    expect(screen.getByLabelText("Variables and parameters").textContent).toContain('"ticket": "<img src=x onerror=alert(1)>"');
    expect(screen.getByLabelText("Messages sent to the model").textContent).toContain("Be brief");
    const rows = screen.getByRole("table", { name: "Model calls, in the order they were tried" }).querySelectorAll("tbody tr");
    expect([...rows].map((r) => r.querySelector("td")?.textContent)).toEqual(["#1 first try", "#2 retry", "#3 fallback"]);
    expect(screen.getByRole("link", { name: "Lineage of this inference →" }).getAttribute("href")).toBe(`/lineage?node=inference%3A${id}`);
  });
  it("lists each guardrail check with what it found and how long it took", () => {
    renderDetail();
    const rows = screen.getByRole("table", { name: "Guardrail verdicts" }).querySelectorAll("tbody tr");
    expect([...rows].map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent))).toEqual([
      ["no_pii", "pii", "input", "redact", "redacted", "email:2", "0.042"],
      ["topics", "deny_list", "output", "monitor", "pass", "—", "0.010"],
    ]);
  });
});
