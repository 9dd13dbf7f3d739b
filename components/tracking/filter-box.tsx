"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";
import { checkRunFilter } from "@/lib/experiments/filter";
import type { ColumnsReply } from "@/lib/experiments/schemas";

/**
 * The runs filter: MLflow's search DSL, checked as you type with the API's own parser (errors in
 * MLflow's words plus a fix), applied on Enter. `/` focuses it from anywhere on the page.
 * `serverError` is the API's answer when the text parsed here but failed there.
 */
export function FilterBox({
  value,
  onApply,
  known,
  serverError,
}: {
  value: string;
  onApply: (filter: string) => void;
  known?: ColumnsReply;
  serverError?: string;
}) {
  const [text, setText] = useState(value);
  const [lastValue, setLastValue] = useState(value);
  const input = useRef<HTMLInputElement>(null);
  if (value !== lastValue) {
    // The URL changed under us (back button, a link): show what is applied.
    setLastValue(value);
    setText(value);
  }
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target instanceof Element ? event.target : null;
      if (event.key !== "/" || target?.closest("input, textarea, select, [contenteditable]")) return;
      event.preventDefault();
      input.current?.focus();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const check = checkRunFilter(text, known);
  const dirty = text.trim() !== value.trim();
  const error = !check.ok ? check.message : dirty ? undefined : serverError;
  const noteId = "runs-filter-note";
  return (
    <form
      role="search"
      className="flex min-w-72 flex-1 flex-col gap-1"
      onSubmit={(event) => {
        event.preventDefault();
        if (check.ok) onApply(text.trim());
      }}
    >
      <label htmlFor="runs-filter" className="text-xs font-medium text-muted-foreground">
        Filter runs{" "}
        <span className="font-normal">
          (MLflow search syntax; press <Kbd>/</Kbd> to focus, <Kbd>Enter</Kbd> to apply)
        </span>
      </label>
      <div className="flex gap-2">
        <input
          ref={input}
          id="runs-filter"
          type="search"
          spellCheck={false}
          autoComplete="off"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={noteId}
          placeholder="metrics.accuracy > 0.9 and params.model = 'minilm'"
          className="w-full rounded-md border border-border bg-card px-2.5 py-1.5 font-mono text-sm placeholder:text-muted-foreground aria-invalid:border-danger"
        />
        <Button type="submit" variant={dirty ? "primary" : "secondary"} disabled={!check.ok}>
          Apply
        </Button>
        {value ? (
          <Button onClick={() => onApply("")} aria-label="Clear filter">
            Clear
          </Button>
        ) : null}
      </div>
      <div id={noteId} className="min-h-5 text-xs">
        {error ? (
          <p role="alert" className="text-danger">
            {error}
            {!check.ok && check.hint ? <span className="block text-muted-foreground">{check.hint}</span> : null}
          </p>
        ) : check.ok && check.warnings.length ? (
          <p className="text-warning-foreground text-foreground">⚠ {check.warnings.join(" ")}</p>
        ) : dirty ? (
          <p className="text-muted-foreground">Press Enter to apply.</p>
        ) : null}
      </div>
    </form>
  );
}
