"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import type { AuditFilters } from "@/lib/accounts/schemas";
import { dayEndIso, dayStartIso, isoDay } from "@/lib/accounts/view";

type Draft = Record<"actor" | "action" | "target_kind" | "target_id" | "from" | "to", string>;

const draftOf = (f: AuditFilters): Draft => ({
  actor: f.actor ?? "",
  action: f.action ?? "",
  target_kind: f.target_kind ?? "",
  target_id: f.target_id ?? "",
  from: isoDay(f.from),
  to: isoDay(f.to),
});

/** Filters applied on submit (not per keystroke): actor, action, target, and a UTC date range. */
export function AuditFilterForm({ filters, onApply }: { filters: AuditFilters; onApply: (next: Omit<AuditFilters, "before">) => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(filters));
  const set = (key: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));
  const rangeError = draft.from && draft.to && draft.from > draft.to ? "The range ends before it starts" : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (rangeError) return;
    const text = (v: string) => v.trim() || undefined;
    onApply({
      actor: text(draft.actor),
      action: text(draft.action),
      target_kind: text(draft.target_kind),
      target_id: text(draft.target_id),
      from: dayStartIso(draft.from),
      to: dayEndIso(draft.to),
    });
  };
  const clear = () => {
    const empty = draftOf({});
    setDraft(empty);
    onApply({});
  };
  return (
    <form onSubmit={submit} aria-label="Audit filters" className="flex flex-wrap items-end gap-3">
      <Field label="Actor">{(p) => <Input {...p} value={draft.actor} placeholder="admin@example.com" onChange={set("actor")} />}</Field>
      <Field label="Action" hint="A prefix: auth. matches sign-ins, keys and users">
        {(p) => <Input {...p} value={draft.action} placeholder="auth." onChange={set("action")} />}
      </Field>
      <Field label="Target kind">
        {(p) => <Input {...p} value={draft.target_kind} placeholder="registered_model" onChange={set("target_kind")} />}
      </Field>
      <Field label="Target id">{(p) => <Input {...p} value={draft.target_id} onChange={set("target_id")} />}</Field>
      <Field label="From (UTC)">{(p) => <Input {...p} type="date" value={draft.from} onChange={set("from")} />}</Field>
      <Field label="To (UTC)" error={rangeError}>
        {(p) => <Input {...p} type="date" value={draft.to} onChange={set("to")} />}
      </Field>
      <div className="flex gap-2">
        <Button type="submit" variant="primary">
          Filter
        </Button>
        <Button onClick={clear}>Clear</Button>
      </div>
    </form>
  );
}
