"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { queryKeys } from "@/lib/query/keys";
import { deleteRegisteredModel, patchRegistered, postRegistered } from "@/lib/registry/api";
import type { RegistryKind } from "@/lib/registry/dashboard-schemas";
import { registeredHref } from "./registry-list";

/** An API error as a sentence: fetchJson prefixes the URL, which a person does not need. */
export const apiMessage = (error: Error) => error.message.replace(/^\/api\/[^:]*: /, "");

/** "New prompt" / "New model": a name (required), a description and, for a prompt, its first user template. */
export function CreateRegisteredForm({ initialKind = "prompts" }: { initialKind?: RegistryKind }) {
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<RegistryKind>(initialKind);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [template, setTemplate] = useState("");
  const [touched, setTouched] = useState(false);
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: () =>
      postRegistered({
        kind,
        name: name.trim(),
        description: description.trim() || undefined,
        template: kind === "prompts" && template.trim() ? { user: template } : undefined,
      }),
    onSuccess: async (made) => {
      await queryClient.invalidateQueries({ queryKey: ["registry"] });
      router.push(registeredHref(made.kind, made.name));
    },
  });
  if (!open) {
    return (
      <Button variant="primary" onClick={() => setOpen(true)}>
        New prompt or model
      </Button>
    );
  }
  const nameError = touched && !name.trim() ? "A name is required." : undefined;
  return (
    <form
      aria-label="New prompt or model"
      // Required fields are checked here, with a message beside the field, rather than by the browser's bubble.
      noValidate
      className="mb-6 grid max-w-2xl gap-3 rounded-lg border border-border p-4"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (name.trim()) create.mutate();
      }}
    >
      <div className="flex flex-wrap gap-3">
        <Field label="Kind">
          {(props) => (
            <Select {...props} value={kind} onChange={(e) => setKind(e.target.value as RegistryKind)}>
              <option value="prompts">Prompt</option>
              <option value="models">Model</option>
            </Select>
          )}
        </Field>
        <Field label="Name (required)" error={nameError} className="min-w-64 flex-1">
          {(props) => <Input {...props} required aria-required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
      </div>
      <Field label="Description">
        {(props) => <Input {...props} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      {kind === "prompts" ? (
        <Field label="First version's user template (optional)" hint="Write {{variable}} where a request's value goes.">
          {(props) => <Textarea {...props} rows={4} value={template} onChange={(e) => setTemplate(e.target.value)} />}
        </Field>
      ) : null}
      {create.error ? (
        <p role="alert" className="text-sm text-danger">
          Could not create it: {apiMessage(create.error)}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create"}
        </Button>
        <Button onClick={() => setOpen(false)}>Cancel</Button>
      </div>
    </form>
  );
}

/** The actions of a registered model's or prompt's page: new version and playground (prompts), describe, delete. */
export function RegisteredActions({ kind, name, description }: { kind: RegistryKind; name: string; description: string | null }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(description ?? "");
  const [confirming, setConfirming] = useState(false);
  const router = useRouter();
  const queryClient = useQueryClient();
  const describe = useMutation({
    mutationFn: () => patchRegistered(name, text),
    onSuccess: async () => {
      setEditing(false);
      await queryClient.invalidateQueries({ queryKey: queryKeys.registeredModel(name) });
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteRegisteredModel(name),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["registry"] });
      router.push(`/registry${kind === "models" ? "?kind=models" : ""}`);
    },
  });
  const base = `/registry/${kind}/${encodeURIComponent(name)}`;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {kind === "prompts" ? (
          <>
            <Link
              href={`${base}/edit`}
              className="rounded-md bg-primary px-3 py-1.5 text-sm font-medium text-primary-foreground hover:opacity-90"
            >
              New version
            </Link>
            <Link
              href={`/playground?prompt=${encodeURIComponent(name)}`}
              className="rounded-md border border-border px-3 py-1.5 text-sm hover:bg-muted"
            >
              Open in playground
            </Link>
          </>
        ) : null}
        <Button onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
          Edit description
        </Button>
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Delete
        </Button>
      </div>
      {editing ? (
        <form
          aria-label="Description"
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            describe.mutate();
          }}
        >
          <Field label="Description" className="min-w-72 flex-1">
            {(props) => <Input {...props} value={text} onChange={(e) => setText(e.target.value)} />}
          </Field>
          <Button type="submit" variant="primary" disabled={describe.isPending}>
            Save description
          </Button>
          {describe.error ? (
            <p role="alert" className="w-full text-sm text-danger">
              {apiMessage(describe.error)}
            </p>
          ) : null}
        </form>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Delete ${name}?`}
        confirmLabel="Delete"
        tone="danger"
        busy={remove.isPending}
        error={remove.error ? apiMessage(remove.error) : undefined}
        onConfirm={() => remove.mutate()}
        onCancel={() => {
          remove.reset();
          setConfirming(false);
        }}
      >
        Every version, tag and alias of {name} is deleted for good. Clients loading it by name will get an error.
      </ConfirmDialog>
    </div>
  );
}
