// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { CreatedKey } from "@/lib/accounts/schemas";
import { KeySecretDialog } from "./key-secret-dialog";

beforeAll(() => {
  // jsdom lacks the modal half of <dialog>; give it the open/close behaviour browsers have.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute("open", "");
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute("open");
  };
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const created: CreatedKey = {
  key: {
    id: "k1",
    name: "ci-evaluations",
    prefix: "llmops_AbCd",
    user: { id: "u1", email: "admin@example.test" },
    role: "viewer",
    scope: null,
    created_at: "2026-12-05T19:00:00.000Z",
    expires_at: null,
    last_used_at: null,
    revoked_at: null,
  },
  secret: "llmops_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
};

const secretField = () => screen.getByLabelText<HTMLInputElement>("API key secret");

describe("KeySecretDialog", () => {
  it("shows the secret once with a clear warning, and stays open on Escape until Done", () => {
    const onClose = vi.fn();
    const { rerender } = render(<KeySecretDialog created={created} onClose={onClose} />);
    const dialog = document.querySelector("dialog")!;
    expect(dialog.open).toBe(true);
    expect(screen.getByRole("heading", { hidden: true }).textContent).toBe("API key “ci-evaluations” created");
    expect(secretField().value).toBe(created.secret);
    expect(secretField().readOnly).toBe(true);
    expect(screen.getByRole("alert", { hidden: true }).textContent).toContain("you will not see it again");

    act(() => {
      dialog.dispatchEvent(new Event("cancel", { cancelable: true }));
    });
    expect(onClose).not.toHaveBeenCalled();
    expect(dialog.open).toBe(true);

    fireEvent.click(screen.getByRole("button", { name: "Done", hidden: true }));
    expect(onClose).toHaveBeenCalledOnce();
    // Closed, the secret is no longer in the page at all.
    rerender(<KeySecretDialog created={undefined} onClose={onClose} />);
    expect(dialog.open).toBe(false);
    expect(document.body.textContent).not.toContain(created.secret);
  });

  it("copies the secret to the clipboard", async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    render(<KeySecretDialog created={created} onClose={() => {}} />);
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Copy", hidden: true }));
    });
    expect(writeText).toHaveBeenCalledWith(created.secret);
    expect(screen.getByRole("button", { name: "Copied", hidden: true })).toBeTruthy();
    expect(screen.getByText("The key is on your clipboard.")).toBeTruthy();
  });

  it("selects the secret for a manual copy when the browser refuses the clipboard", async () => {
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText: () => Promise.reject(new Error("denied")) } });
    render(<KeySecretDialog created={created} onClose={() => {}} />);
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Copy", hidden: true }));
    });
    expect(screen.getByText(/refused the clipboard: the key is selected/)).toBeTruthy();
    const field = secretField();
    expect([field.selectionStart, field.selectionEnd]).toEqual([0, created.secret.length]);
  });
});
