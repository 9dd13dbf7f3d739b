"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { datasetVersionInfo } from "@/lib/datasets/schemas";
import type { PlaygroundEvent, PlaygroundTarget } from "@/lib/playground/schemas";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";

export interface ColumnRun {
  target: PlaygroundTarget;
  variables: Record<string, string>;
  text: string;
  start?: Extract<PlaygroundEvent, { type: "start" }>;
  done?: Extract<PlaygroundEvent, { type: "done" }>;
  error?: string;
}

const usd = (n: number) => (n === 0 ? "$0" : n < 0.01 ? `$${n.toPrecision(2)}` : `$${n.toFixed(4)}`);

const saveItem = (dataset: string, run: ColumnRun, expected: boolean) =>
  fetchJson(`/api/datasets/${encodeURIComponent(dataset)}/items`, datasetVersionInfo, {
    init: {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        items: [
          {
            input: { variables: run.variables },
            expected_output: expected ? run.text : null,
            inference_id: run.start?.inferenceId,
            tags: { "llmops.source": "playground" },
          },
        ],
      }),
    },
  });

/** One answer as it streams, then its latency, tokens and cost, with "save as dataset item" and "start an evaluation". */
export function ResultColumn({ label, fn, run, dataset }: { label: string; fn: string; run: ColumnRun; dataset: string }) {
  const [name, setName] = useState(dataset || "playground");
  const [expected, setExpected] = useState(true);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () => saveItem(name.trim(), run, expected),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.datasets() }),
  });
  const evalTarget =
    "variant" in run.target
      ? `variant=${encodeURIComponent(run.target.variant)}`
      : `prompt=${encodeURIComponent(run.start?.promptVersion ? `prompts:/${run.start.promptVersion}` : `prompts:/${run.target.prompt}`)}`;
  const evalDataset = save.data?.name ?? dataset;
  return (
    <section aria-label={`Result ${label}`} className="space-y-3 rounded-lg border border-border p-4" data-testid={`result-${label}`}>
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-base font-semibold">{label}</h2>
        {run.start ? (
          <p className="text-xs text-muted-foreground">
            {run.start.variant} · {run.start.model}
            {run.start.promptVersion ? ` · ${run.start.promptVersion}` : ""}
          </p>
        ) : null}
      </header>
      <pre
        aria-live="polite"
        aria-busy={!run.done && !run.error}
        className="min-h-16 whitespace-pre-wrap break-words rounded-md bg-muted/40 p-3 text-sm"
      >
        {run.text || (run.error ? "" : "…")}
      </pre>
      {run.error ? (
        <p role="alert" className="text-sm text-danger">
          {run.error}
        </p>
      ) : null}
      {run.done ? (
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4" data-testid="run-figures">
          <div>
            <dt className="text-xs text-muted-foreground">Latency</dt>
            <dd className="tabular-nums">{run.done.latencyMs.toLocaleString("en")} ms</dd>
          </div>
          <div>
            <dt className="text-xs text-muted-foreground">First token</dt>
            <dd className="tabular-nums">{run.done.ttftMs === null ? "—" : `${run.done.ttftMs.toLocaleString("en")} ms`}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted-foreground">Tokens in / out</dt>
            <dd className="tabular-nums">
              {run.done.inputTokens} / {run.done.outputTokens}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-muted-foreground">Cost</dt>
            <dd className="tabular-nums">{usd(run.done.cost)}</dd>
          </div>
        </dl>
      ) : null}
      {run.start && run.done ? (
        <div className="space-y-3 border-t border-border pt-3">
          <Link href={`/inferences/${run.start.inferenceId}`} className="text-sm text-primary underline">
            Inference {run.start.inferenceId.slice(0, 8)}…
          </Link>
          <form
            aria-label={`Save ${label} as a dataset item`}
            className="flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (name.trim()) save.mutate();
            }}
          >
            <Field label="Dataset (required)">
              {(props) => (
                <Input {...props} required aria-required value={name} onChange={(e) => setName(e.target.value)} className="w-48" />
              )}
            </Field>
            <label className="flex items-center gap-1 pb-1.5 text-sm">
              <input type="checkbox" checked={expected} onChange={(e) => setExpected(e.target.checked)} />
              this answer as the expected output
            </label>
            <Button type="submit" disabled={save.isPending || !name.trim()}>
              Save as dataset item
            </Button>
          </form>
          {save.data ? (
            <p role="status" className="text-sm">
              Saved in{" "}
              <Link
                href={`/datasets/${encodeURIComponent(save.data.name)}/versions/${save.data.version}`}
                className="text-primary underline"
              >
                {save.data.name} v{save.data.version}
              </Link>{" "}
              ({save.data.itemCount} {save.data.itemCount === 1 ? "item" : "items"}).
            </p>
          ) : null}
          {save.error ? (
            <p role="alert" className="text-sm text-danger">
              Could not save: {save.error.message.replace(/^\/api\/[^:]*: /, "")}
            </p>
          ) : null}
          <Link
            href={`/evaluations/new?function=${encodeURIComponent(fn)}&${evalTarget}${evalDataset ? `&dataset=${encodeURIComponent(evalDataset)}` : ""}`}
            className="inline-block rounded-md border border-border px-3 py-1.5 text-sm hover:bg-muted"
          >
            Start an evaluation
          </Link>
        </div>
      ) : null}
    </section>
  );
}
