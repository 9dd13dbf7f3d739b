"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useCan } from "@/lib/accounts/use-caller";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Input, Textarea } from "@/components/ui/field";
import { experimentChangeReply, runChangeReply, type EntityPatch } from "@/lib/experiments/edit-schemas";
import { fetchJson } from "@/lib/query/fetch-json";

/** Which experiment or run the editor changes. */
export type EntityRef = { kind: "experiment"; id: string } | { kind: "run"; id: string };

const noun = (ref: EntityRef) => (ref.kind === "experiment" ? "experiment" : "run");
const message = (error: Error) => error.message.replace(/^\/api\/[^:]*: /, "");

async function patchEntity(ref: EntityRef, patch: EntityPatch): Promise<{ lifecycleStage: string }> {
  const url = ref.kind === "experiment" ? `/api/experiments/${encodeURIComponent(ref.id)}` : `/api/runs/${encodeURIComponent(ref.id)}`;
  const init = { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(patch) };
  return ref.kind === "experiment" ? fetchJson(url, experimentChangeReply, { init }) : fetchJson(url, runChangeReply, { init });
}

/** A change, then the page's server-rendered parts and cached queries refreshed. */
function useEntityPatch(ref: EntityRef) {
  const router = useRouter();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: EntityPatch) => patchEntity(ref, patch),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ref.kind === "run" ? ["run", ref.id] : ["experiments"] });
      await queryClient.invalidateQueries({ queryKey: ["runs"] });
      router.refresh();
    },
  });
}

/** Rename, and delete (after a confirmation) or restore. */
export function EntityActions({ entity, name, deleted }: { entity: EntityRef; name: string; deleted: boolean }) {
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState(name);
  const [confirming, setConfirming] = useState(false);
  const [touched, setTouched] = useState(false);
  const change = useEntityPatch(entity);
  const canEdit = useCan("edit");
  if (!canEdit) return null;
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => setRenaming((r) => !r)} aria-expanded={renaming} disabled={deleted}>
          Rename
        </Button>
        {deleted ? (
          <Button onClick={() => change.mutate({ deleted: false })} disabled={change.isPending}>
            Restore
          </Button>
        ) : (
          <Button variant="danger" onClick={() => setConfirming(true)}>
            Delete
          </Button>
        )}
      </div>
      {renaming ? (
        <form
          noValidate
          aria-label={`Rename ${noun(entity)}`}
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
            if (!draft.trim()) return;
            change.mutate({ name: draft.trim() }, { onSuccess: () => setRenaming(false) });
          }}
        >
          <Field label="New name (required)" error={touched && !draft.trim() ? "A name cannot be empty." : undefined}>
            {(props) => <Input {...props} required aria-required value={draft} onChange={(e) => setDraft(e.target.value)} />}
          </Field>
          <Button type="submit" variant="primary" disabled={change.isPending}>
            Save name
          </Button>
        </form>
      ) : null}
      {change.error && !confirming ? (
        <p role="alert" className="text-sm text-danger">
          {message(change.error)}
        </p>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Delete ${name}?`}
        confirmLabel="Delete"
        tone="danger"
        busy={change.isPending}
        error={change.error ? message(change.error) : undefined}
        onConfirm={() => change.mutate({ deleted: true }, { onSuccess: () => setConfirming(false) })}
        onCancel={() => {
          change.reset();
          setConfirming(false);
        }}
      >
        The {noun(entity)} moves to the deleted view, as MLflow&apos;s delete does; Restore brings it back
        {entity.kind === "experiment" ? " with its runs" : ""}.
      </ConfirmDialog>
    </div>
  );
}

/** The note (MLflow's `mlflow.note.content`) and user tags, editable in place. */
export function NotesAndTags({
  entity,
  note,
  tags,
  readOnly: readOnlyHere,
}: {
  entity: EntityRef;
  note: string;
  tags: { key: string; value: string }[];
  readOnly?: boolean;
}) {
  // Kept here after each save, so the section shows what was saved without waiting for the page to re-render.
  const [saved, setSaved] = useState({ note, tags });
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(note);
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const [keyTouched, setKeyTouched] = useState(false);
  const change = useEntityPatch(entity);
  const canEdit = useCan("edit");
  const readOnly = readOnlyHere || !canEdit;
  const userTags = saved.tags.filter((t) => !t.key.startsWith("mlflow."));
  return (
    <section aria-label="Notes and tags" className="mb-6 grid gap-4 rounded-lg border border-border p-4 lg:grid-cols-2">
      <div className="space-y-2">
        <div className="flex items-center justify-between">
          <h2 className="text-sm font-semibold">Notes</h2>
          {!readOnly && !editing ? (
            <Button size="sm" onClick={() => setEditing(true)}>
              {saved.note ? "Edit notes" : "Add notes"}
            </Button>
          ) : null}
        </div>
        {editing ? (
          <form
            aria-label="Notes"
            className="space-y-2"
            onSubmit={(e) => {
              e.preventDefault();
              change.mutate(
                { note: draft },
                {
                  onSuccess: () => {
                    setEditing(false);
                    setSaved((s) => ({ ...s, note: draft }));
                  },
                },
              );
            }}
          >
            <Field label="Notes text" hint="Kept as the mlflow.note.content tag, which MLflow's UI shows too.">
              {(props) => <Textarea {...props} rows={5} value={draft} onChange={(e) => setDraft(e.target.value)} className="font-sans" />}
            </Field>
            <div className="flex gap-2">
              <Button type="submit" variant="primary" size="sm" disabled={change.isPending}>
                Save notes
              </Button>
              <Button size="sm" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <p data-testid="notes" className="whitespace-pre-wrap text-sm">
            {saved.note || <span className="text-muted-foreground">No notes yet.</span>}
          </p>
        )}
      </div>
      <div className="space-y-2">
        <h2 className="text-sm font-semibold">Tags</h2>
        {userTags.length ? (
          <ul className="flex flex-wrap gap-2" aria-label="Tags">
            {userTags.map((t) => (
              <li key={t.key} className="inline-flex items-center gap-1 rounded-full bg-muted px-2 py-0.5 text-xs">
                <span className="font-medium">{t.key}</span>
                {t.value ? <span>= {t.value}</span> : null}
                {readOnly ? null : (
                  <button
                    type="button"
                    aria-label={`Remove tag ${t.key}`}
                    className="ml-1 rounded px-1 hover:bg-danger/20"
                    onClick={() =>
                      change.mutate(
                        { deleteTags: [t.key] },
                        { onSuccess: () => setSaved((s) => ({ ...s, tags: s.tags.filter((x) => x.key !== t.key) })) },
                      )
                    }
                  >
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-muted-foreground">No tags.</p>
        )}
        {readOnly ? null : (
          <form
            noValidate
            aria-label="Add a tag"
            className="flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              setKeyTouched(true);
              if (!key.trim()) return;
              change.mutate(
                { setTags: [{ key: key.trim(), value }] },
                {
                  onSuccess: () => {
                    const added = { key: key.trim(), value };
                    setSaved((s) => ({ ...s, tags: [...s.tags.filter((x) => x.key !== added.key), added] }));
                    setKey("");
                    setValue("");
                    setKeyTouched(false);
                  },
                },
              );
            }}
          >
            <Field label="Tag key (required)" error={keyTouched && !key.trim() ? "A tag needs a key." : undefined}>
              {(props) => <Input {...props} required aria-required value={key} onChange={(e) => setKey(e.target.value)} className="w-40" />}
            </Field>
            <Field label="Tag value">
              {(props) => <Input {...props} value={value} onChange={(e) => setValue(e.target.value)} className="w-40" />}
            </Field>
            <Button type="submit" size="md" disabled={change.isPending}>
              Add tag
            </Button>
          </form>
        )}
        {change.error ? (
          <p role="alert" className="text-sm text-danger">
            {message(change.error)}
          </p>
        ) : null}
      </div>
    </section>
  );
}

/** "New experiment" (on the list) or "New run" (on an experiment): a name, then the new page. */
export function CreateEntityButton({ kind, experimentId }: { kind: "experiment" | "run"; experimentId?: string }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [touched, setTouched] = useState(false);
  const router = useRouter();
  const create = useMutation({
    mutationFn: async () => {
      const init = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (kind === "experiment") {
        const made = await fetchJson("/api/experiments", experimentChangeReply, { init: init({ name: name.trim() }) });
        return `/experiments/${made.experimentId}`;
      }
      const made = await fetchJson("/api/runs", runChangeReply, { init: init({ experimentId, name: name.trim() || undefined }) });
      return `/experiments/${made.experimentId}/runs/${made.runId}`;
    },
    onSuccess: (href) => router.push(href),
  });
  const required = kind === "experiment";
  const canEdit = useCan("edit");
  if (!canEdit) return null;
  if (!open) return <Button onClick={() => setOpen(true)}>{kind === "experiment" ? "New experiment" : "New run"}</Button>;
  return (
    <form
      noValidate
      aria-label={kind === "experiment" ? "New experiment" : "New run"}
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (required && !name.trim()) return;
        create.mutate();
      }}
    >
      <Field
        label={required ? "Experiment name (required)" : "Run name (optional)"}
        error={touched && required && !name.trim() ? "A name is required." : undefined}
      >
        {(props) => (
          <Input
            {...props}
            required={required}
            aria-required={required}
            placeholder={required ? undefined : "MLflow picks one if empty"}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        )}
      </Field>
      <Button type="submit" variant="primary" disabled={create.isPending}>
        Create
      </Button>
      <Button onClick={() => setOpen(false)}>Cancel</Button>
      {create.error ? (
        <p role="alert" className="w-full text-sm text-danger">
          {message(create.error)}
        </p>
      ) : null}
    </form>
  );
}
