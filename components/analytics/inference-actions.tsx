"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { functionReportSchema, type InferenceDetail } from "@/lib/analytics/schemas";
import { datasetVersionInfo } from "@/lib/datasets/schemas";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";
import { useCan } from "@/lib/accounts/use-caller";

const message = (error: Error) => error.message.replace(/^\/api\/[^:]*: /, "");
const post = (body: unknown): { init: RequestInit } => ({
  init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
});

/** The function's declared metrics (from its report), so feedback is offered only where the gateway takes it. */
function useMetrics(fn: string) {
  return useQuery({
    queryKey: ["analytics", "metrics-of", fn],
    queryFn: () => fetchJson(`/api/functions/${encodeURIComponent(fn)}?range=1h`, functionReportSchema).then((r) => r.function.metrics),
  });
}

function FeedbackForm({ d }: { d: InferenceDetail }) {
  const metrics = useMetrics(d.functionName);
  const declared = (metrics.data ?? []).filter((m) => m.declared);
  const [metric, setMetric] = useState("");
  const [value, setValue] = useState("");
  const [touched, setTouched] = useState(false);
  const queryClient = useQueryClient();
  const chosen = declared.find((m) => m.name === metric);
  const kind = metric === "comment" ? "comment" : metric === "demonstration" ? "demonstration" : chosen?.type;
  const send = useMutation({
    mutationFn: () => {
      const typed = kind === "boolean" ? value === "true" : kind === "float" ? Number(value) : value;
      const target = chosen?.level === "episode" ? { episode_id: d.episodeId } : { inference_id: d.id };
      return fetchJson("/api/feedback", z.object({ feedback_id: z.string() }).passthrough(), {
        ...post({ metric_name: metric, ...target, value: typed, tags: { "llmops.via": "dashboard" } }),
      });
    },
    onSuccess: async () => {
      setValue("");
      setTouched(false);
      await queryClient.invalidateQueries({ queryKey: queryKeys.inference(d.id) });
    },
  });
  const problem = !metric
    ? "Choose a metric."
    : !value.trim()
      ? "Give a value."
      : kind === "float" && !Number.isFinite(Number(value))
        ? "A number is needed."
        : undefined;
  return (
    <form
      noValidate
      aria-label="Give feedback"
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!problem) send.mutate();
      }}
    >
      <Field label="Metric (required)" error={touched && !metric ? "Choose a metric." : undefined}>
        {(props) => (
          <Select
            {...props}
            required
            aria-required
            value={metric}
            onChange={(e) => {
              setMetric(e.target.value);
              setValue("");
            }}
          >
            <option value="">Choose…</option>
            {declared.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name} ({m.type}
                {m.level === "episode" ? ", on the episode" : ""})
              </option>
            ))}
            <option value="comment">comment (text)</option>
            <option value="demonstration">demonstration (the corrected answer)</option>
          </Select>
        )}
      </Field>
      {kind === "boolean" ? (
        <fieldset className="flex items-center gap-3 pb-1.5 text-sm">
          <legend className="sr-only">Value (required)</legend>
          {["true", "false"].map((v) => (
            <label key={v} className="flex items-center gap-1">
              <input type="radio" name="feedback-value" value={v} checked={value === v} onChange={() => setValue(v)} />
              {v === "true" ? "Yes" : "No"}
            </label>
          ))}
        </fieldset>
      ) : kind === "float" ? (
        <Field label="Value (required)" error={touched && problem && metric ? problem : undefined}>
          {(props) => (
            <Input {...props} type="number" step="any" className="w-28" value={value} onChange={(e) => setValue(e.target.value)} />
          )}
        </Field>
      ) : kind ? (
        <Field label={kind === "comment" ? "Comment (required)" : "Corrected answer (required)"} className="min-w-72 flex-1">
          {(props) => <Textarea {...props} rows={2} className="font-sans" value={value} onChange={(e) => setValue(e.target.value)} />}
        </Field>
      ) : null}
      <Button type="submit" variant="primary" disabled={send.isPending}>
        Send feedback
      </Button>
      {touched && problem && (kind === "boolean" || !metric) && metric ? (
        <p role="alert" className="w-full text-sm text-danger">
          {problem}
        </p>
      ) : null}
      {send.error ? (
        <p role="alert" className="w-full text-sm text-danger">
          {message(send.error)}
        </p>
      ) : null}
      {send.isSuccess ? (
        <p role="status" className="w-full text-sm">
          Feedback recorded.
        </p>
      ) : null}
    </form>
  );
}

function AddToDataset({ d }: { d: InferenceDetail }) {
  const [name, setName] = useState("");
  const [expected, setExpected] = useState<"output" | "demonstration">("output");
  const [touched, setTouched] = useState(false);
  const add = useMutation({
    mutationFn: () =>
      fetchJson(
        "/api/datasets/from-inferences",
        datasetVersionInfo,
        post({ name: name.trim(), inferenceIds: [d.id], expected, append: true }),
      ),
  });
  return (
    <form
      noValidate
      aria-label="Add to a dataset"
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (name.trim()) add.mutate();
      }}
    >
      <Field label="Dataset (required)" error={touched && !name.trim() ? "Name the dataset (a new name makes a new one)." : undefined}>
        {(props) => <Input {...props} required aria-required value={name} onChange={(e) => setName(e.target.value)} className="w-48" />}
      </Field>
      <Field label="Expected output">
        {(props) => (
          <Select {...props} value={expected} onChange={(e) => setExpected(e.target.value as "output" | "demonstration")}>
            <option value="output">this answer</option>
            <option value="demonstration">its latest demonstration</option>
          </Select>
        )}
      </Field>
      <Button type="submit" disabled={add.isPending}>
        Add to dataset
      </Button>
      {add.data ? (
        <p role="status" className="w-full text-sm">
          Added:{" "}
          <Link href={`/datasets/${encodeURIComponent(add.data.name)}/versions/${add.data.version}`} className="text-primary underline">
            {add.data.name} v{add.data.version}
          </Link>{" "}
          ({add.data.itemCount} {add.data.itemCount === 1 ? "item" : "items"}).
        </p>
      ) : null}
      {add.error ? (
        <p role="alert" className="w-full text-sm text-danger">
          {message(add.error)}
        </p>
      ) : null}
    </form>
  );
}

/** The playground link that runs this inference's variant again on the same variables. */
export function playgroundHref(d: InferenceDetail): string | undefined {
  if (d.functionName.startsWith("llmops::")) return undefined;
  const target = d.variantName.startsWith("playground.") && d.promptVersion ? `prompt:${d.promptVersion}` : `variant:${d.variantName}`;
  return `/playground?fn=${encodeURIComponent(d.functionName)}&a=${encodeURIComponent(target)}&from=${d.id}`;
}

/** What one can do from an inference: give feedback, add it to a dataset, open it in the playground. */
export function InferenceActions({ d }: { d: InferenceDetail }) {
  const href = playgroundHref(d);
  const canLabel = useCan("label");
  const canEdit = useCan("edit");
  return (
    <section aria-labelledby="inference-actions-heading" className="space-y-4 rounded-lg border border-border p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="inference-actions-heading" className="text-base font-semibold">
          Act on this inference
        </h2>
        {href && canEdit ? (
          <Link href={href} className="rounded-md border border-border px-3 py-1.5 text-sm hover:bg-muted">
            Open in playground
          </Link>
        ) : null}
      </div>
      {canLabel ? <FeedbackForm d={d} /> : null}
      {canEdit ? <AddToDataset d={d} /> : null}
      {canLabel || canEdit ? null : (
        <p className="text-sm text-muted-foreground">Your role reads only: feedback and datasets need a reviewer or an editor.</p>
      )}
    </section>
  );
}
