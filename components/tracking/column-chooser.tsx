"use client";

import { useState } from "react";
import { Input } from "@/components/ui/field";
import type { ColumnsReply } from "@/lib/experiments/schemas";

const GROUPS = [
  { kind: "metric", label: "Metrics", pick: (k: ColumnsReply) => k.metrics },
  { kind: "param", label: "Parameters", pick: (k: ColumnsReply) => k.params },
  { kind: "tag", label: "Tags", pick: (k: ColumnsReply) => k.tags },
] as const;

/** Chooses the metric, param and tag columns of the runs table (a disclosure, keyboard-operable). */
export function ColumnChooser({
  keys,
  chosen,
  onChange,
}: {
  keys: ColumnsReply | undefined;
  chosen: string[];
  onChange: (columns: string[]) => void;
}) {
  const [search, setSearch] = useState("");
  const toggle = (id: string, on: boolean) => onChange(on ? [...chosen, id] : chosen.filter((c) => c !== id));
  return (
    <details className="relative">
      <summary className="cursor-pointer list-none rounded-md border border-border bg-card px-3 py-1.5 text-sm font-medium hover:bg-muted">
        Columns ({chosen.length})
      </summary>
      <div className="absolute right-0 z-20 mt-1 max-h-96 w-80 overflow-auto rounded-lg border border-border bg-card p-3 shadow-lg">
        <Input
          type="search"
          aria-label="Find a column"
          placeholder="Find a column…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        {!keys ? <p className="mt-2 text-xs text-muted-foreground">Loading keys…</p> : null}
        {keys
          ? GROUPS.map((group) => {
              const items = group.pick(keys).filter((k) => k.toLowerCase().includes(search.toLowerCase()));
              if (items.length === 0) return null;
              return (
                <fieldset key={group.kind} className="mt-3">
                  <legend className="text-xs font-semibold text-muted-foreground">{group.label}</legend>
                  <ul className="mt-1 space-y-0.5">
                    {items.map((key) => {
                      const id = `${group.kind}:${key}`;
                      return (
                        <li key={id}>
                          <label className="flex items-center gap-2 text-sm">
                            <input type="checkbox" checked={chosen.includes(id)} onChange={(e) => toggle(id, e.target.checked)} />
                            <span className="truncate font-mono text-xs">{key}</span>
                          </label>
                        </li>
                      );
                    })}
                  </ul>
                </fieldset>
              );
            })
          : null}
        {chosen.length ? (
          <button type="button" className="mt-3 text-xs text-primary underline" onClick={() => onChange([])}>
            Reset to the default columns
          </button>
        ) : null}
      </div>
    </details>
  );
}
