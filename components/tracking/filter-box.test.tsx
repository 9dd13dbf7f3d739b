// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FilterBox } from "./filter-box";

afterEach(cleanup);

const known = { metrics: ["accuracy"], params: ["model"], tags: [] };

describe("FilterBox", () => {
  it("explains an invalid filter as you type and does not apply it", () => {
    const onApply = vi.fn();
    render(<FilterBox value="" onApply={onApply} known={known} />);
    const input = screen.getByLabelText(/Filter runs/);
    fireEvent.change(input, { target: { value: "params.model = gpt" } });
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toMatch(/not quoted/);
    expect(alert.textContent).toMatch(/Quote text values/);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole("button", { name: "Apply" })).toHaveProperty("disabled", true);
    fireEvent.submit(input.closest("form") as HTMLFormElement);
    expect(onApply).not.toHaveBeenCalled();
  });

  it("applies a valid filter on Enter, warning about unknown keys", () => {
    const onApply = vi.fn();
    render(<FilterBox value="" onApply={onApply} known={known} />);
    const input = screen.getByLabelText(/Filter runs/);
    fireEvent.change(input, { target: { value: " metrics.acuracy > 0.5 " } });
    expect(screen.getByText(/did you mean metrics.accuracy/)).toBeTruthy();
    fireEvent.submit(input.closest("form") as HTMLFormElement);
    expect(onApply).toHaveBeenCalledWith("metrics.acuracy > 0.5");
  });

  it("shows the server's error for the applied filter, follows URL changes, and focuses on /", () => {
    const { rerender } = render(<FilterBox value="metrics.accuracy > 1" onApply={() => undefined} serverError="boom from the API" />);
    expect(screen.getByRole("alert").textContent).toBe("boom from the API");
    rerender(<FilterBox value="params.model = 'x'" onApply={() => undefined} />);
    const input = screen.getByLabelText(/Filter runs/) as HTMLInputElement;
    expect(input.value).toBe("params.model = 'x'");
    fireEvent.keyDown(window, { key: "/" });
    expect(document.activeElement).toBe(input);
  });
});
