"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { labellingApi } from "@/lib/labelling/api-client";
import { draftToInput, emptyDraft, filterOf, metricChoices, parseTags, type FieldDraft, type QueueDraft } from "@/lib/labelling/queue-form";
import { LABEL_FIELD_TYPES, createQueueInput } from "@/lib/labelling/schemas";
import { Picker, noMetrics, useFunctionInfo, useFunctionNames } from "./queue-pickers";

const TYPE_LABELS: Record<FieldDraft["type"], string> = {
  boolean: "Yes / no",
  score: "Score 1–5",
  category: "Category from a list",
  comment: "Free-text comment",
  correction: "Corrected answer",
};

/** Creates a queue: which inferences (filter or random sample), which labels, who reviews. */
export function NewQueueForm() {
  const router = useRouter();
  const [draft, setDraft] = useState<QueueDraft>(emptyDraft);
  const [problem, setProblem] = useState<string>();
  const set = <K extends keyof QueueDraft>(key: K, value: QueueDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setField = (i: number, patch: Partial<FieldDraft>) =>
    set(
      "fields",
      draft.fields.map((f, j) => (i === j ? { ...f, ...patch } : f)),
    );
  const preview = useMutation({ mutationFn: () => labellingApi.preview(filterOf(draft)) });
  const create = useMutation({
    mutationFn: () => labellingApi.create(draftToInput(draft)),
    onSuccess: (queue) => router.push(`/labelling/${queue.id}`),
  });
  const tagProblems = parseTags(draft.tags).problems;
  const functionNames = useFunctionNames();
  const info = useFunctionInfo(draft.functionName);
  const metrics = info.data?.metrics ?? noMetrics;
  const variants = (info.data?.variants ?? []).map((v) => v.name);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = createQueueInput.safeParse(draftToInput(draft));
    if (tagProblems.length) return setProblem(`Tags: ${tagProblems.join("; ")}`);
    if (!parsed.success) return setProblem(parsed.error.issues.map((i) => `${i.path.join(".") || "queue"}: ${i.message}`).join("; "));
    setProblem(undefined);
    create.mutate();
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="New labelling queue">
      <Card>
        <CardTitle className="mb-3">Queue</CardTitle>
        <div className="grid gap-3 md:grid-cols-2">
          <Field label="Name">{(p) => <Input {...p} required value={draft.name} onChange={(e) => set("name", e.target.value)} />}</Field>
          <Field label="Instructions for reviewers (optional)" hint="the rubric, shown beside every item while labelling">
            {(p) => <Textarea {...p} rows={3} value={draft.description} onChange={(e) => set("description", e.target.value)} />}
          </Field>
        </div>
      </Card>
      <Card>
        <CardTitle className="mb-3">Which inferences</CardTitle>
        <div className="grid gap-3 md:grid-cols-3">
          <Picker
            label="Function"
            value={draft.functionName}
            options={functionNames.data ?? []}
            loading={functionNames.isPending}
            empty="Any function"
            allowOther
            onChange={(name) => setDraft((d) => ({ ...d, functionName: name, variant: "", missingFeedback: "" }))}
          />
          <Picker
            label="Variant"
            hint={draft.functionName ? undefined : "choose a function to list its variants"}
            value={draft.variant}
            options={variants}
            loading={info.isFetching}
            empty="Any variant"
            allowOther
            onChange={(v) => set("variant", v)}
          />
          <Picker
            label="Without feedback for metric"
            hint={draft.functionName ? undefined : "choose a function to list its metrics"}
            value={draft.missingFeedback}
            options={metrics.map((m) => m.name).sort()}
            loading={info.isFetching}
            empty="No condition"
            allowOther
            onChange={(m) => set("missingFeedback", m)}
          />
          <Field label="From (UTC)">
            {(p) => <Input {...p} type="datetime-local" value={draft.from} onChange={(e) => set("from", e.target.value)} />}
          </Field>
          <Field label="To (UTC)">
            {(p) => <Input {...p} type="datetime-local" value={draft.to} onChange={(e) => set("to", e.target.value)} />}
          </Field>
          <Field label="Tags" hint="key=value, one per line" error={tagProblems.length ? tagProblems.join("; ") : undefined}>
            {(p) => <Textarea {...p} rows={2} value={draft.tags} onChange={(e) => set("tags", e.target.value)} />}
          </Field>
        </div>
        <div className="mt-3 flex flex-wrap items-end gap-3">
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="focus-visible:outline-2 focus-visible:outline-ring"
              checked={draft.sample}
              onChange={(e) => set("sample", e.target.checked)}
            />{" "}
            Random sample
          </label>
          {draft.sample ? (
            <>
              <Field label="Sample size">
                {(p) => (
                  <Input
                    {...p}
                    type="number"
                    min={1}
                    className="w-28"
                    value={draft.sampleSize}
                    onChange={(e) => set("sampleSize", e.target.value)}
                  />
                )}
              </Field>
              <Field label="Seed" hint="same seed, same sample">
                {(p) => (
                  <Input {...p} type="number" min={0} className="w-28" value={draft.seed} onChange={(e) => set("seed", e.target.value)} />
                )}
              </Field>
            </>
          ) : null}
          <Button onClick={() => preview.mutate()} disabled={preview.isPending}>
            Count matches
          </Button>
          {preview.data ? (
            <p role="status" className="text-sm">
              {preview.data.matching} inferences match; the queue would hold {preview.data.items}
              {preview.data.fits ? "." : " — too many: narrow the filter or take a sample."}
            </p>
          ) : null}
        </div>
        {preview.error ? <ErrorState title="Could not count" error={preview.error} /> : null}
      </Card>
      <Card>
        <CardTitle className="mb-3">Labels</CardTitle>
        <ul className="flex flex-col gap-3">
          {draft.fields.map((f, i) => (
            <li key={i} className="flex flex-wrap items-end gap-3" aria-label={`Label field ${i + 1}`}>
              <Field label="Key">
                {(p) => <Input {...p} className="w-36" value={f.key} onChange={(e) => setField(i, { key: e.target.value })} />}
              </Field>
              <Field label="Type">
                {(p) => (
                  <Select {...p} value={f.type} onChange={(e) => setField(i, { type: e.target.value as FieldDraft["type"] })}>
                    {LABEL_FIELD_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {TYPE_LABELS[t]}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              {f.type === "category" ? (
                <Field label="Options (comma-separated)">
                  {(p) => <Input {...p} className="w-64" value={f.options} onChange={(e) => setField(i, { options: e.target.value })} />}
                </Field>
              ) : null}
              {f.type === "comment" || f.type === "correction" ? null : (
                <Picker
                  label="Metric"
                  className="w-56"
                  value={f.metric}
                  options={metricChoices(metrics, f.type)}
                  empty="New: queue_name.key"
                  allowOther
                  onChange={(m) => setField(i, { metric: m })}
                />
              )}
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Remove field ${f.key || i + 1}`}
                disabled={draft.fields.length === 1}
                onClick={() =>
                  set(
                    "fields",
                    draft.fields.filter((_, j) => j !== i),
                  )
                }
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
        <Button
          size="sm"
          className="mt-3"
          onClick={() =>
            set("fields", [...draft.fields, { key: `field_${draft.fields.length + 1}`, type: "score", metric: "", options: "" }])
          }
        >
          Add a label field
        </Button>
      </Card>
      <Card>
        <CardTitle className="mb-3">Reviewers</CardTitle>
        <div className="grid gap-3 md:grid-cols-3">
          <Field label="Labels per item (overlap)" hint="2 or more measures agreement">
            {(p) => <Input {...p} type="number" min={1} max={10} value={draft.overlap} onChange={(e) => set("overlap", e.target.value)} />}
          </Field>
          <Field label="Assigned reviewers" hint="comma-separated; empty: open to anyone">
            {(p) => <Input {...p} value={draft.reviewers} onChange={(e) => set("reviewers", e.target.value)} />}
          </Field>
          <Field label="Claim timeout (seconds)" hint="an abandoned item returns to the queue after this">
            {(p) => (
              <Input
                {...p}
                type="number"
                min={10}
                value={draft.claimTimeoutSeconds}
                onChange={(e) => set("claimTimeoutSeconds", e.target.value)}
              />
            )}
          </Field>
        </div>
        <label className="mt-3 flex items-center gap-2 text-sm">
          <input type="checkbox" checked={draft.blind} onChange={(e) => set("blind", e.target.checked)} /> Hide the variant from reviewers
          (unbiased labels)
        </label>
      </Card>
      {problem ? (
        <p role="alert" className="text-sm text-danger">
          {problem}
        </p>
      ) : null}
      {create.error ? <ErrorState title="Could not create the queue" error={create.error} /> : null}
      <Button type="submit" variant="primary" className="self-start" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create queue"}
      </Button>
    </form>
  );
}
