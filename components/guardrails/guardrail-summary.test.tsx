// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { summariseVerdicts } from "@/lib/guardrails/summary";
import { GuardrailSummaryView } from "./guardrail-summary";

afterEach(cleanup);

describe("GuardrailSummaryView", () => {
  it("draws each guardrail's outcome shares and counts, and nothing when no guardrail ran", () => {
    const row = { name: "no_pii", kind: "pii", stage: "input", mode: "redact", p50_ms: 0.02, p95_ms: 0.08 };
    const lines = summariseVerdicts([
      { ...row, outcome: "pass", n: 3 },
      { ...row, outcome: "redacted", n: 1 },
    ]);
    render(<GuardrailSummaryView lines={lines} />);
    const cells = [...screen.getByRole("table", { name: "Guardrail verdicts" }).querySelectorAll("tbody td")].map((td) => td.textContent);
    expect(cells).toEqual(["no_pii", "pii", "input", "redact", "", "4", "0", "1", "0", "0", "0.02", "0.08"]);
    expect(screen.getByRole("img").getAttribute("aria-label")).toBe("pass 75.0%, flagged 0.0%, redacted 25.0%, blocked 0.0%, error 0.0%");
    cleanup();
    const { container } = render(<GuardrailSummaryView lines={[]} />);
    expect(container.innerHTML).toBe("");
  });
});
