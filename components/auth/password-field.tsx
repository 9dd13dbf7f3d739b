"use client";

import { Field, Input } from "@/components/ui/field";

/** A labelled, required password input: sign-in, password change and reset, a new account's first password. */
export function PasswordField({
  label,
  hint,
  error,
  autoComplete,
  value,
  onChange,
}: {
  label: string;
  hint?: string;
  error?: string;
  autoComplete: "current-password" | "new-password";
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(props) => (
        <Input {...props} type="password" required autoComplete={autoComplete} value={value} onChange={(e) => onChange(e.target.value)} />
      )}
    </Field>
  );
}
