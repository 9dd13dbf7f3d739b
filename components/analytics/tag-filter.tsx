"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

/** Tag filters as removable chips plus a `key:value` input; the caller keeps them in the URL. */
export function TagFilter({ tags, onChange, note }: { tags: string[]; onChange: (tags: string[]) => void; note?: string }) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | undefined>();
  function add() {
    const value = text.trim();
    if (value.indexOf(":") <= 0 || value.length < 3) return setError("Write a tag filter as key:value");
    if (!tags.includes(value)) onChange([...tags, value]);
    setText("");
    setError(undefined);
  }
  return (
    <div className="flex flex-wrap items-end gap-2">
      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <Field label="Tag filter" error={error} hint={error ? undefined : note}>
          {(p) => <Input {...p} placeholder="key:value" value={text} onChange={(e) => setText(e.target.value)} className="w-48" />}
        </Field>
        <Button type="submit">Add</Button>
      </form>
      {tags.length ? (
        <ul aria-label="Active tag filters" className="flex flex-wrap gap-1 pb-1">
          {tags.map((tag) => (
            <li key={tag}>
              <button
                type="button"
                className="rounded-full border border-border bg-muted px-2 py-0.5 text-xs hover:bg-card"
                aria-label={`Remove tag filter ${tag}`}
                onClick={() => onChange(tags.filter((t) => t !== tag))}
              >
                {tag} <span aria-hidden>×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
