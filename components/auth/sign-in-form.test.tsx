// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SignInForm } from "./sign-in-form";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The server's answer to the sign-in POST, as the API sends it. */
function answer(status: number, body: unknown) {
  const sent: RequestInit[] = [];
  vi.stubGlobal("fetch", (_url: string, init: RequestInit) => {
    sent.push(init);
    return Promise.resolve(Response.json(body, { status }));
  });
  return sent;
}

function signIn(email: string, password: string) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <SignInForm next="/registry" />
    </QueryClientProvider>,
  );
  fireEvent.change(screen.getByLabelText("Email"), { target: { value: email } });
  fireEvent.change(screen.getByLabelText("Password"), { target: { value: password } });
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("SignInForm", () => {
  it("says a wrong email or password in one sentence, and sends the CSRF header", async () => {
    const sent = answer(401, { error: { code: "unauthorized", message: "Wrong email or password" } });
    signIn(" admin@example.test ", "nope");
    expect((await screen.findByRole("alert")).textContent).toBe("Wrong email or password.");
    expect(JSON.parse(String(sent[0]?.body))).toEqual({ email: "admin@example.test", password: "nope" });
    expect(new Headers(sent[0]?.headers).get("x-llmops-csrf")).toBe("1");
  });

  it("passes on the rate limit's own advice", async () => {
    answer(429, { error: { code: "rate_limited", message: "Too many failed sign-ins; wait 15 minutes and try again" } });
    signIn("admin@example.test", "nope");
    expect((await screen.findByRole("alert")).textContent).toBe("Too many failed sign-ins; wait 15 minutes and try again");
  });
});
