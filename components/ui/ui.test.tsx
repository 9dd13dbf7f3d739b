// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfirmDialog } from "./confirm-dialog";
import { Field, Input } from "./field";
import { SortableTh, type SortDirection } from "./table";
import { Tabs } from "./tabs";

afterEach(cleanup);

function TabsHarness() {
  const [tab, setTab] = useState<"a" | "b" | "c">("a");
  return (
    <Tabs
      label="Views"
      selected={tab}
      onSelect={setTab}
      tabs={[
        { key: "a", label: "Alpha" },
        { key: "b", label: "Beta" },
        { key: "c", label: "Gamma" },
      ]}
    >
      <p>panel {tab}</p>
    </Tabs>
  );
}

describe("Tabs", () => {
  it("moves with arrow keys, wraps, and keeps only the selected tab focusable", () => {
    render(<TabsHarness />);
    const alpha = screen.getByRole("tab", { name: "Alpha" });
    alpha.focus();
    fireEvent.keyDown(alpha, { key: "ArrowLeft" });
    expect(screen.getByRole("tab", { name: "Gamma" }).getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(screen.getByRole("tab", { name: "Gamma" }));
    expect(screen.getByRole("tabpanel").textContent).toBe("panel c");
    fireEvent.keyDown(document.activeElement as Element, { key: "Home" });
    expect(screen.getByRole("tab", { name: "Alpha" }).tabIndex).toBe(0);
    expect(screen.getByRole("tab", { name: "Beta" }).tabIndex).toBe(-1);
  });
});

describe("SortableTh", () => {
  it("cycles direction, starting descending for numbers, and announces it", () => {
    const seen: SortDirection[] = [];
    function Harness() {
      const [dir, setDir] = useState<SortDirection | undefined>();
      return (
        <table>
          <thead>
            <tr>
              <SortableTh
                label="Loss"
                numeric
                direction={dir}
                onSort={(d) => {
                  seen.push(d);
                  setDir(d);
                }}
              />
            </tr>
          </thead>
        </table>
      );
    }
    render(<Harness />);
    const header = screen.getByRole("columnheader");
    expect(header.getAttribute("aria-sort")).toBe("none");
    fireEvent.click(screen.getByRole("button"));
    fireEvent.click(screen.getByRole("button"));
    expect(seen).toEqual(["desc", "asc"]);
    expect(header.getAttribute("aria-sort")).toBe("ascending");
  });
});

describe("Field", () => {
  it("labels its control and links the error for screen readers", () => {
    render(
      <Field label="Filter" error="Unknown column metrics.los">
        {(props) => <Input {...props} defaultValue="metrics.los > 1" />}
      </Field>,
    );
    const input = screen.getByLabelText("Filter");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const note = document.getElementById(input.getAttribute("aria-describedby") ?? "");
    expect(note?.textContent).toBe("Unknown column metrics.los");
  });
});

describe("ConfirmDialog", () => {
  it("opens modally, confirms, and cancels on Escape", () => {
    // jsdom lacks the modal half of <dialog>; give it the open/close behaviour browsers have.
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
      this.setAttribute("open", "");
    };
    HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
      this.removeAttribute("open");
    };
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    const { rerender } = render(
      <ConfirmDialog open title="Move alias?" confirmLabel="Move" onConfirm={onConfirm} onCancel={onCancel}>
        production: v2 → v3
      </ConfirmDialog>,
    );
    const dialog = document.querySelector("dialog");
    expect(dialog?.open).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Move", hidden: true }));
    expect(onConfirm).toHaveBeenCalledOnce();
    act(() => {
      dialog?.dispatchEvent(new Event("cancel", { cancelable: true }));
    });
    expect(onCancel).toHaveBeenCalledOnce();
    rerender(
      <ConfirmDialog open={false} title="Move alias?" confirmLabel="Move" onConfirm={onConfirm} onCancel={onCancel}>
        x
      </ConfirmDialog>,
    );
    expect(dialog?.open).toBe(false);
  });
});
