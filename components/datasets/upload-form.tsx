"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { datasetsApi, type UploadBody } from "@/lib/datasets/api-client";
import type { ColumnMapping } from "@/lib/datasets/upload";

type Single = "input" | "messages" | "expected_output" | "context" | "assertions";
const SINGLE: { key: Single; label: string }[] = [
  { key: "expected_output", label: "Expected output" },
  { key: "context", label: "Reference context" },
  { key: "assertions", label: "Assertions" },
  { key: "input", label: "Whole input (JSON)" },
  { key: "messages", label: "Messages (JSON)" },
];

/** Upload a JSONL or CSV file: preview, change the column mapping, read each bad row's error, then save a version. */
export function UploadForm() {
  const [file, setFile] = useState<{ name: string; text: string; format: "jsonl" | "csv" }>();
  const [mapping, setMapping] = useState<ColumnMapping>();
  const [name, setName] = useState("");
  const preview = useMutation({ mutationFn: (body: UploadBody) => datasetsApi.preview(body), onSuccess: (p) => setMapping(p.mapping) });
  const save = useMutation({ mutationFn: (body: UploadBody & { name: string }) => datasetsApi.upload(body) });
  const body = (m = mapping): UploadBody | undefined => file && { format: file.format, text: file.text, fileName: file.name, mapping: m };
  const remap = (next: ColumnMapping) => {
    setMapping(next);
    const b = body(next);
    if (b) preview.mutate(b);
  };
  const p = preview.data;
  return (
    <div className="grid max-w-4xl gap-4">
      <Field label="File (JSON Lines or CSV)">
        {(props) => (
          <Input
            {...props}
            type="file"
            accept=".jsonl,.ndjson,.csv,.json"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (!f) return;
              const text = await f.text();
              const format = /\.csv$/i.test(f.name) ? "csv" : "jsonl";
              setFile({ name: f.name, text, format });
              setName((n) => n || f.name.replace(/\.[^.]+$/, "").replace(/[^A-Za-z0-9_.-]/g, "-"));
              save.reset();
              preview.mutate({ format, text, fileName: f.name });
            }}
          />
        )}
      </Field>
      {preview.error ? (
        <p role="alert" className="text-sm text-danger">
          {preview.error.message}
        </p>
      ) : null}
      {p && mapping ? (
        <section aria-label="Preview" className="space-y-3">
          <p className="text-sm" data-testid="upload-summary">
            {p.rows} rows, {p.valid} valid, {p.errors.length} with errors · columns: {p.columns.join(", ")}
          </p>
          <div className="flex flex-wrap gap-3">
            {SINGLE.map(({ key, label }) => (
              <Field key={key} label={label}>
                {(props) => (
                  <Select {...props} value={mapping[key] ?? ""} onChange={(e) => remap({ ...mapping, [key]: e.target.value || undefined })}>
                    <option value="">—</option>
                    {p.columns.map((c) => (
                      <option key={c}>{c}</option>
                    ))}
                  </Select>
                )}
              </Field>
            ))}
          </div>
          <fieldset className="flex flex-wrap gap-3 text-sm">
            <legend className="mb-1 text-xs font-medium text-muted-foreground">Columns as template variables</legend>
            {p.columns.map((c) => (
              <label key={c} className="flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={mapping.variables.includes(c)}
                  onChange={(e) =>
                    remap({
                      ...mapping,
                      variables: e.target.checked ? [...mapping.variables, c] : mapping.variables.filter((v) => v !== c),
                    })
                  }
                />
                {c}
              </label>
            ))}
          </fieldset>
          {p.errors.length ? (
            <ul aria-label="Row errors" className="max-h-48 overflow-auto rounded-md border border-danger/40 p-2 text-xs text-danger">
              {p.errors.map((e, i) => (
                <li key={i}>
                  line {e.line}: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
          <pre className="max-h-64 overflow-auto rounded-md bg-muted p-2 text-xs">
            {p.sample
              .slice(0, 5)
              .map((s) => JSON.stringify(s))
              .join("\n")}
          </pre>
          <form
            className="flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              const b = body();
              if (b) save.mutate({ ...b, name });
            }}
          >
            <Field label="Dataset name">
              {(props) => <Input {...props} value={name} onChange={(e) => setName(e.target.value)} className="w-64" />}
            </Field>
            <Button type="submit" variant="primary" disabled={!name || p.errors.length > 0 || save.isPending}>
              Save version
            </Button>
          </form>
          {save.error ? (
            <p role="alert" className="text-sm text-danger">
              {save.error.message}
            </p>
          ) : null}
          {save.data ? (
            <p role="status" className="text-sm">
              Saved{" "}
              <Link className="underline" href={`/datasets/${encodeURIComponent(save.data.name)}/versions/${save.data.version}`}>
                {save.data.name} v{save.data.version}
              </Link>{" "}
              ({save.data.itemCount} items{save.data.existing ? ", identical to an existing version" : ""})
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
