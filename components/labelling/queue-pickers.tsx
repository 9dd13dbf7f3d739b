"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Field, Input, Select } from "@/components/ui/field";
import { functionListSchema, functionReportSchema } from "@/lib/analytics/schemas";
import type { PickableMetric } from "@/lib/labelling/queue-form";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";

/** The picker lists look back this far: a queue is usually made of recent traffic. */
const PICK_RANGE = "90d";
const OTHER = "__other__";

/** Function names from GET /api/functions (configured ones and those with traffic). */
export function useFunctionNames() {
  const url = `/api/functions?range=${PICK_RANGE}`;
  return useQuery({
    queryKey: queryKeys.functions(url),
    queryFn: () => fetchJson(url, functionListSchema).then((r) => r.functions.map((f) => f.name).sort()),
  });
}

/** A function's variants and metrics from GET /api/functions/<name>, when one is chosen. */
export function useFunctionInfo(name: string) {
  const url = `/api/functions/${encodeURIComponent(name)}?range=${PICK_RANGE}`;
  return useQuery({
    queryKey: queryKeys.functionReport(url),
    queryFn: () => fetchJson(url, functionReportSchema).then((r) => r.function),
    enabled: name !== "",
  });
}

export const noMetrics: PickableMetric[] = [];

interface PickerProps {
  label: string;
  hint?: string;
  value: string;
  /** The choices; a value not among them (typed before) stays selectable. */
  options: readonly string[];
  /** The text of the empty choice ("any function", "default: …"). */
  empty: string;
  /** Offer "Other…" with a text box, for names the lists cannot know yet. */
  allowOther?: boolean;
  loading?: boolean;
  className?: string;
  onChange: (value: string) => void;
}

/** A select fed by the API, with an empty choice and, when allowed, a typed name. */
export function Picker({ label, hint, value, options, empty, allowOther, loading, className, onChange }: PickerProps) {
  const listed = value === "" || options.includes(value);
  const [typing, setTyping] = useState(!listed);
  const choices = listed || typing ? options : [...options, value];
  return (
    <div className={className}>
      <Field label={label} hint={loading ? "loading choices…" : hint}>
        {(p) => (
          <Select
            {...p}
            value={typing ? OTHER : value}
            onChange={(e) => {
              const other = e.target.value === OTHER;
              setTyping(other);
              onChange(other ? "" : e.target.value);
            }}
          >
            <option value="">{empty}</option>
            {choices.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
            {allowOther ? <option value={OTHER}>Other (type a name)…</option> : null}
          </Select>
        )}
      </Field>
      {typing ? (
        <Field label={`${label}: name`} className="mt-1">
          {(p) => <Input {...p} value={value} onChange={(e) => onChange(e.target.value)} />}
        </Field>
      ) : null}
    </div>
  );
}
