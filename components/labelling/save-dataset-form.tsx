"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { ErrorState } from "@/components/ui/error-state";
import { Field, Input, Select } from "@/components/ui/field";
import { labellingApi } from "@/lib/labelling/api-client";
import type { QueueDetail } from "@/lib/labelling/schemas";
import { queryKeys } from "@/lib/query/keys";

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-")
    .replace(/^-+|-+$/g, "") || "labelled";

/** Saves the queue's labelled items as a new version of a named dataset, usable as an MLflow run input. */
export function SaveDatasetForm({ queue }: { queue: QueueDetail }) {
  const judges = queue.fields.filter((f) => f.type === "boolean" || f.type === "score");
  const [name, setName] = useState(slug(queue.name));
  const [field, setField] = useState(judges[0]?.key ?? "");
  const [min, setMin] = useState("4");
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: () => {
      const judge = judges.find((f) => f.key === field);
      return labellingApi.saveDataset({
        queueId: queue.id,
        name,
        ...(judge ? { good: { field: judge.key, ...(judge.type === "score" ? { min: Number(min) } : {}) } } : {}),
      });
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.datasets() }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const judge = judges.find((f) => f.key === field);
  return (
    <Card aria-label="Save as dataset" className="mt-4">
      <CardTitle className="mb-1">Save as dataset</CardTitle>
      <p className="mb-3 text-sm text-muted-foreground">
        Each labelled item becomes input and expected output: its corrected answer if it has one, else its own output when every reviewer
        judged it good. Versions are immutable and content-addressed; runs use one as an input through MLflow&apos;s log-inputs.
      </p>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
        <Field label="Dataset name">
          {(props) => <Input {...props} value={name} onChange={(e) => setName(e.target.value)} className="w-64" />}
        </Field>
        {judges.length ? (
          <Field label="Good when">
            {(props) => (
              <Select {...props} value={field} onChange={(e) => setField(e.target.value)}>
                {judges.map((f) => (
                  <option key={f.key} value={f.key}>
                    {f.label} {f.type === "boolean" ? "is yes" : "is at least…"}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        ) : null}
        {judge?.type === "score" ? (
          <Field label="Lowest good score">
            {(props) => (
              <Select {...props} value={min} onChange={(e) => setMin(e.target.value)}>
                {[1, 2, 3, 4, 5].map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </Select>
            )}
          </Field>
        ) : null}
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save version"}
        </Button>
      </form>
      {save.error ? <ErrorState title="Could not save the dataset" error={save.error} /> : null}
      {save.data ? (
        <div role="status" className="mt-4 flex flex-col gap-2 text-sm">
          <p>
            {save.data.existing ? "Nothing changed since" : "Saved"}{" "}
            <Link className="underline" href={`/datasets/${encodeURIComponent(save.data.name)}/versions/${save.data.version}`}>
              {save.data.name} v{save.data.version}
            </Link>{" "}
            ({save.data.itemCount} items, digest <code>{save.data.digest}</code>).
          </p>
          <p className="text-muted-foreground">To log it as a run input, pass this dataset to runs/log-inputs:</p>
          <CodeBlock
            label="MLflow dataset"
            text={JSON.stringify(
              {
                dataset: {
                  name: save.data.mlflow.name,
                  digest: save.data.mlflow.digest,
                  source_type: save.data.mlflow.source_type,
                  source: save.data.mlflow.source,
                },
              },
              null,
              2,
            )}
            maxHeight="10rem"
          />
        </div>
      ) : null}
    </Card>
  );
}
