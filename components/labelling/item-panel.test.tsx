// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ReviewItem } from "@/lib/labelling/schemas";
import { normalizeFields } from "@/lib/labelling/values";
import { ItemPanel } from "./item-panel";

afterEach(cleanup);

const fields = normalizeFields("q", [
  { key: "helpful", type: "boolean" },
  { key: "quality", type: "score" },
  { key: "fix", type: "correction" },
]);
const item: ReviewItem = {
  claimId: 7,
  itemId: 3,
  position: 0,
  inferenceId: "0193a5b0-0000-7000-8000-000000000001",
  functionName: "summarize",
  input: JSON.stringify({ messages: [{ role: "user", content: "Summarise this" }] }),
  output: JSON.stringify({ content: "A summary" }),
  inferenceTime: "2026-11-01 10:00:00.000",
  expiresAt: 0,
  status: "active",
  values: {},
};

function renderPanel(overrides: Partial<ReviewItem> = {}) {
  const handlers = { onSubmit: vi.fn(), onSkip: vi.fn(), onBack: vi.fn(), onResume: vi.fn() };
  render(<ItemPanel item={{ ...item, ...overrides }} fields={fields} blind revisiting={false} busy={false} {...handlers} />);
  return handlers;
}

const key = (k: string, init: KeyboardEventInit = {}) => fireEvent.keyDown(window, { key: k, ...init });

describe("the labelling panel", () => {
  it("labels, skips and goes back from the keyboard", () => {
    const h = renderPanel();
    expect(screen.getByText("variant hidden")).toBeTruthy();
    key("y");
    key("4");
    expect(screen.getByRole("radio", { name: /Yes$/ }).getAttribute("aria-checked")).toBe("true");
    key("Enter");
    expect(h.onSubmit).toHaveBeenCalledWith({ helpful: true, quality: 4 });
    key("s");
    expect(h.onSkip).toHaveBeenCalledTimes(1);
    key("b");
    expect(h.onBack).toHaveBeenCalledTimes(1);
  });

  it("starts a corrected answer from the output, leaves the box with Escape and saves with Ctrl+Enter", () => {
    const h = renderPanel();
    key("e");
    const box = screen.getByLabelText(/^Fix/) as HTMLTextAreaElement;
    expect(box.value).toBe("A summary");
    expect(document.activeElement).toBe(box);
    // Letters typed in the box are text, not shortcuts.
    fireEvent.keyDown(box, { key: "y" });
    expect(screen.getByRole("radio", { name: /Yes$/ }).getAttribute("aria-checked")).toBe("false");
    // The required choices are still empty: nothing is sent.
    fireEvent.keyDown(box, { key: "Enter", ctrlKey: true });
    expect(h.onSubmit).not.toHaveBeenCalled();
    fireEvent.keyDown(box, { key: "Escape" });
    expect(document.activeElement).not.toBe(box);
    key("n");
    key("2");
    key("Enter");
    expect(h.onSubmit).toHaveBeenCalledWith({ fix: "A summary", helpful: false, quality: 2 });
  });

  it("marks required fields, and on Enter with nothing chosen says what is missing instead of sending", () => {
    const h = renderPanel();
    const helpful = screen.getByRole("radiogroup", { name: /Helpful/ });
    expect(helpful.getAttribute("aria-required")).toBe("true");
    expect(screen.getByRole("radiogroup", { name: /Quality/ }).textContent).toContain("(required)");
    expect(screen.queryByRole("alert")).toBeNull();
    key("Enter");
    expect(h.onSubmit).not.toHaveBeenCalled();
    expect(screen.getByRole("alert").textContent).toBe('2 required fields are empty: "Helpful", "Quality". Nothing was saved.');
    expect(helpful.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(helpful.getAttribute("aria-describedby") ?? "")?.textContent).toBe("Choose one");
    // Filling a field clears its own message at once; the rest stays until it is filled too.
    key("y");
    expect(helpful.getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByRole("alert").textContent).toContain('"Quality"');
    fireEvent.click(screen.getByRole("button", { name: /Save and next/ }));
    expect(h.onSubmit).not.toHaveBeenCalled();
    key("5");
    expect(screen.queryByRole("alert")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: /Save and next/ }));
    expect(h.onSubmit).toHaveBeenCalledWith({ helpful: true, quality: 5 });
  });

  it("shows the queue's instructions beside the item and a readable time", () => {
    render(
      <ItemPanel
        item={item}
        fields={fields}
        blind
        instructions={"Helpful: answers the question.\nScore 5 only when nothing is missing."}
        revisiting={false}
        busy={false}
        onSubmit={vi.fn()}
        onSkip={vi.fn()}
        onBack={vi.fn()}
        onResume={vi.fn()}
      />,
    );
    expect(screen.getByRole("region", { name: "Instructions" }).textContent).toContain("Score 5 only when nothing is missing.");
    expect(screen.getByText("· 1 Nov 2026, 10:00 UTC")).toBeTruthy();
  });

  it("does not skip an item reached with Back", () => {
    const h = renderPanel({ status: "done", values: { helpful: false } });
    key("s");
    expect(h.onSkip).not.toHaveBeenCalled();
    expect(screen.getByRole("radio", { name: /No$/ }).getAttribute("aria-checked")).toBe("true");
  });
});
