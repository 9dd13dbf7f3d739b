"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { Kbd } from "@/components/ui/kbd";
import { FIND_KIND_LABELS, findApiUrl, findReply, type FindResult } from "@/lib/find/schemas";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";

/** The text the palette searches for, once the typing has paused this long. */
const DEBOUNCE_MS = 150;

function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * Search everywhere: Ctrl+K (⌘K on a Mac) or the sidebar's button opens a modal combobox over
 * GET /api/search. Arrow keys move through the results, Enter opens one, Escape closes (the native
 * <dialog> traps focus and gives it back to where it was).
 */
export function CommandPalette() {
  const router = useRouter();
  const ref = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const q = useDebounced(text.trim(), DEBOUNCE_MS);
  const ids = useId();
  const listId = `${ids}-list`;
  const optionId = (i: number) => `${ids}-option-${i}`;

  const found = useQuery({
    queryKey: queryKeys.find(q),
    queryFn: () => fetchJson(findApiUrl(q), findReply),
    enabled: open && q.length > 0,
    staleTime: 30_000,
  });
  const results: FindResult[] = q && found.data?.q === q ? found.data.results : [];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const close = () => {
    setOpen(false);
    setText("");
    setActive(0);
  };
  const go = (result: FindResult | undefined) => {
    if (!result) return;
    close();
    router.push(result.href);
  };

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="mx-2 mb-3 flex items-center justify-between gap-2 rounded-md border border-border bg-card px-3 py-1.5 text-left text-sm text-muted-foreground hover:bg-muted"
      >
        <span>Search…</span>
        <span aria-hidden="true">
          <Kbd>Ctrl K</Kbd>
        </span>
      </button>
      <dialog
        ref={ref}
        aria-label="Search everywhere"
        onCancel={(e) => {
          e.preventDefault();
          close();
        }}
        onClose={() => open && close()}
        onClick={(e) => {
          // A click on the backdrop (the dialog element itself, outside its panel) closes it.
          if (e.target === e.currentTarget) close();
        }}
        className="mx-auto mt-[12vh] w-full max-w-xl rounded-lg border border-border bg-card p-0 text-foreground shadow-lg backdrop:bg-black/40"
      >
        {open ? (
          <div className="p-3">
            <input
              autoFocus
              role="combobox"
              aria-label="Search runs, experiments, prompts, models, functions, datasets, queues or an inference id"
              aria-expanded={results.length > 0}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={results.length ? optionId(Math.min(active, results.length - 1)) : undefined}
              placeholder="Search by name, or paste an inference id"
              maxLength={200}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setActive(0);
              }}
              onKeyDown={(e) => {
                if (e.key === "ArrowDown" || e.key === "ArrowUp") {
                  e.preventDefault();
                  if (results.length === 0) return;
                  const step = e.key === "ArrowDown" ? 1 : -1;
                  setActive((i) => (Math.min(i, results.length - 1) + step + results.length) % results.length);
                } else if (e.key === "Enter") {
                  e.preventDefault();
                  go(results[Math.min(active, results.length - 1)]);
                }
              }}
              className="w-full rounded-md border border-border bg-background px-3 py-2 text-sm focus:outline-2 focus:outline-primary"
            />
            <ul id={listId} role="listbox" aria-label="Results" className="mt-2 max-h-96 overflow-y-auto">
              {results.map((r, i) => (
                <li
                  key={`${r.kind}:${r.href}`}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === Math.min(active, results.length - 1)}
                  onMouseMove={() => setActive(i)}
                  onClick={() => go(r)}
                  className={cn(
                    "flex cursor-pointer items-baseline gap-3 rounded-md px-3 py-2 text-sm",
                    i === Math.min(active, results.length - 1) ? "bg-primary text-primary-foreground" : "hover:bg-muted",
                  )}
                >
                  <span className="w-28 shrink-0 text-xs opacity-80">{FIND_KIND_LABELS[r.kind]}</span>
                  <span className="min-w-0 truncate font-medium">{r.label}</span>
                  {r.detail ? <span className="min-w-0 truncate text-xs opacity-80">{r.detail}</span> : null}
                </li>
              ))}
            </ul>
            <p className="mt-2 px-1 text-xs text-muted-foreground" aria-live="polite">
              {!q
                ? "Type a name, or paste an inference or run id."
                : found.isError
                  ? `Search failed: ${found.error.message}`
                  : found.isFetching && results.length === 0
                    ? "Searching…"
                    : results.length === 0
                      ? "Nothing matches."
                      : `${results.length} result${results.length === 1 ? "" : "s"} · ↑↓ to move, Enter to open, Esc to close`}
            </p>
          </div>
        ) : null}
      </dialog>
    </>
  );
}
