"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { REVIEWER_COOKIE, reviewerName } from "@/lib/labelling/schemas";

/** Keeps the reviewer's name in a cookie for a year: with auth off only (signed in, the account is the reviewer). */
export function saveReviewerCookie(name: string): void {
  document.cookie = `${REVIEWER_COOKIE}=${encodeURIComponent(name)}; path=/; max-age=31536000; samesite=lax`;
}

/** Asks once for the name labels are recorded under, when auth is off and there are no accounts. */
export function ReviewerNameForm({ onDone, initial = "" }: { onDone: (name: string) => void; initial?: string }) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = reviewerName.safeParse(name);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "enter a name");
    saveReviewerCookie(parsed.data);
    onDone(parsed.data);
  };
  return (
    <form onSubmit={submit} className="flex max-w-md flex-col gap-3" aria-label="Reviewer name">
      <Field label="Your name" hint="Your labels are recorded under this name (kept in a cookie on this browser)." error={error}>
        {(props) => <Input {...props} value={name} autoFocus autoComplete="name" onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Button type="submit" variant="primary" className="self-start">
        Start labelling
      </Button>
    </form>
  );
}
