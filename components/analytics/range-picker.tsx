"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { DEFAULT_PRESET, PRESET_LABELS, RANGE_PRESETS, type RangePreset } from "@/lib/analytics/range";
import type { SearchPatch } from "@/lib/url/search-params";

const presets = Object.keys(RANGE_PRESETS) as RangePreset[];
const toLocalInput = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const fromLocalInput = (text: string) => Date.parse(`${text}:00Z`);

/** Preset ranges, or custom UTC bounds; writes `range` or `from`/`to` into the URL. */
export function RangePicker({
  state,
  onChange,
}: {
  state: { range?: RangePreset; from?: number; to?: number };
  onChange: (patch: SearchPatch) => void;
}) {
  const custom = state.from !== undefined && state.to !== undefined;
  const [editing, setEditing] = useState(custom);
  const [from, setFrom] = useState(() => toLocalInput(state.from ?? Date.now() - 86_400_000));
  const [to, setTo] = useState(() => toLocalInput(state.to ?? Date.now()));
  const invalid = !(fromLocalInput(from) < fromLocalInput(to));
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Field label="Time range">
        {(p) => (
          <Select
            {...p}
            value={editing ? "custom" : (state.range ?? DEFAULT_PRESET)}
            onChange={(e) => {
              if (e.target.value === "custom") return setEditing(true);
              setEditing(false);
              onChange({ range: e.target.value, from: null, to: null, cursor: null });
            }}
          >
            {presets.map((p) => (
              <option key={p} value={p}>
                {PRESET_LABELS[p]}
              </option>
            ))}
            <option value="custom">Custom (UTC)…</option>
          </Select>
        )}
      </Field>
      {editing ? (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!invalid) onChange({ from: fromLocalInput(from), to: fromLocalInput(to), range: null, cursor: null });
          }}
        >
          <Field label="From (UTC)">
            {(p) => <Input {...p} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />}
          </Field>
          <Field label="To (UTC)" error={invalid ? "must be after From" : undefined}>
            {(p) => <Input {...p} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />}
          </Field>
          <Button type="submit" disabled={invalid}>
            Apply
          </Button>
        </form>
      ) : null}
    </div>
  );
}
