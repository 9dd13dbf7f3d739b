"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { PasswordField } from "@/components/auth/password-field";
import { accountsApi } from "@/lib/accounts/api-client";
import { ApiError } from "@/lib/query/fetch-json";

/** What a refused sign-in says: one message for a wrong email or password (no account probing). */
export function signInMessage(error: Error): string {
  if (error instanceof ApiError) {
    if (error.code === "rate_limited" || error.status === 429) return error.detail || "Too many attempts: wait a while and try again.";
    if (error.code === "unauthenticated" || error.status === 401) return "Wrong email or password.";
    return error.detail;
  }
  return `Could not reach the server: ${error.message}`;
}

export function SignInForm({ next }: { next: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useMutation({
    mutationFn: () => accountsApi.signIn(email.trim(), password),
    // A full load, so the server renders the dashboard (and its layout's caller) with the new cookie.
    onSuccess: () => window.location.assign(next),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!signIn.isPending) signIn.mutate();
  };
  return (
    <form onSubmit={submit} className="mt-6 flex flex-col gap-4" aria-label="Sign in">
      <Field label="Email">
        {(props) => (
          <Input
            {...props}
            type="email"
            required
            autoFocus
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        )}
      </Field>
      <PasswordField label="Password" autoComplete="current-password" value={password} onChange={setPassword} />
      {signIn.error ? (
        <p role="alert" className="text-sm text-danger">
          {signInMessage(signIn.error)}
        </p>
      ) : null}
      <Button type="submit" variant="primary" disabled={signIn.isPending || signIn.isSuccess}>
        {signIn.isPending || signIn.isSuccess ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
