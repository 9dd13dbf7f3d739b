"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { WordDiff } from "@/components/evaluations/word-diff";
import { Button } from "@/components/ui/button";
import { Field, Input, Textarea } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { queryKeys } from "@/lib/query/keys";
import { postPromptVersion } from "@/lib/registry/api";
import type { RegisteredReply } from "@/lib/registry/dashboard-schemas";
import { variableChanges } from "@/lib/registry/diff";
import { templateVariables } from "@/lib/registry/prompts";
import { registeredHref } from "./registry-list";
import { useRegistered } from "./registered-view";

type Parts = { system?: string; user?: string; text?: string };

/** What a person reads of a template, the same for the base version and the draft, so the diff compares like with like. */
function readable(p: Parts): string {
  if (p.text !== undefined) return p.text;
  return [p.system !== undefined ? `[system]\n${p.system}` : undefined, p.user !== undefined ? `[user]\n${p.user}` : undefined]
    .filter(Boolean)
    .join("\n\n");
}

const allText = (p: Parts) => [p.system, p.user, p.text].filter((x) => x !== undefined).join("\n");

function Editor({ data, from }: { data: RegisteredReply; from?: number }) {
  const base = data.versions.find((v) => v.version === from) ?? data.versions[0];
  const initial: Parts = base?.parts ?? { system: "", user: "" };
  const chat = initial.text === undefined;
  const [draft, setDraft] = useState<Parts>(chat ? { system: initial.system ?? "", user: initial.user ?? "" } : { text: initial.text });
  const [message, setMessage] = useState("");
  const [touched, setTouched] = useState(false);
  const router = useRouter();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () =>
      postPromptVersion(data.name, {
        template: chat ? { system: draft.system || undefined, user: draft.user || undefined } : { text: draft.text ?? "" },
        message: message.trim(),
      }),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.registeredModel(data.name) });
      await queryClient.invalidateQueries({ queryKey: ["registry"] });
      if (saved.created) router.push(registeredHref("prompts", data.name, saved.version));
    },
  });
  const variables = templateVariables(allText(draft));
  const changes = variableChanges(base?.variables ?? [], variables);
  const unchanged = base ? readable(draft) === readable(initial) : false;
  const messageError = touched && !message.trim() ? "Write what changed and why: it is kept as the version's description." : undefined;
  const submit = () => {
    setTouched(true);
    if (!message.trim() || unchanged) return;
    save.mutate();
  };
  return (
    <form
      className="grid gap-6 lg:grid-cols-2"
      // Required fields are checked here, with a message beside the field, rather than by the browser's bubble.
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      aria-label={`New version of ${data.name}`}
    >
      <div className="space-y-4">
        {chat ? (
          <>
            <Field label="System template" hint="Instructions the model gets first; {{variables}} are filled per request.">
              {(props) => (
                <Textarea {...props} rows={6} value={draft.system ?? ""} onChange={(e) => setDraft({ ...draft, system: e.target.value })} />
              )}
            </Field>
            <Field label="User template">
              {(props) => (
                <Textarea {...props} rows={8} value={draft.user ?? ""} onChange={(e) => setDraft({ ...draft, user: e.target.value })} />
              )}
            </Field>
          </>
        ) : (
          <Field label="Template">
            {(props) => <Textarea {...props} rows={14} value={draft.text ?? ""} onChange={(e) => setDraft({ text: e.target.value })} />}
          </Field>
        )}
        <Field label="Commit message (required)" error={messageError}>
          {(props) => (
            <Input
              {...props}
              required
              aria-required
              placeholder="e.g. Ask for the customer's goal in the summary"
              value={message}
              onChange={(e) => setMessage(e.target.value)}
            />
          )}
        </Field>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={save.isPending || unchanged}>
            {save.isPending ? "Saving…" : base ? `Save as v${(data.versions[0]?.version ?? 0) + 1}` : "Save as v1"}
          </Button>
          <Link href={registeredHref("prompts", data.name)} className="text-sm text-primary hover:underline">
            Cancel
          </Link>
          {unchanged ? <span className="text-sm text-muted-foreground">No change yet against v{base?.version}.</span> : null}
        </div>
        {save.error ? (
          <p role="alert" className="text-sm text-danger">
            Could not save: {save.error.message.replace(/^\/api\/[^:]*: /, "")}
          </p>
        ) : null}
        {save.data && !save.data.created ? (
          <p role="status" className="text-sm">
            This template is exactly{" "}
            <Link href={registeredHref("prompts", data.name, save.data.version)} className="text-primary underline">
              v{save.data.version}
            </Link>
            : no new version was made.
          </p>
        ) : null}
      </div>
      <div className="space-y-4">
        <section aria-labelledby="vars-heading" className="rounded-lg border border-border p-3 text-sm">
          <h2 id="vars-heading" className="mb-1 font-semibold">
            Variables detected
          </h2>
          <p data-testid="detected-variables" className="font-mono text-xs">
            {variables.length ? variables.map((v) => `{{${v}}}`).join(" ") : "none"}
          </p>
          {changes.added.length || changes.removed.length ? (
            <p className="mt-1 text-xs">
              {changes.added.length ? <span className="text-success">added: {changes.added.join(", ")}</span> : null}
              {changes.added.length && changes.removed.length ? " · " : null}
              {changes.removed.length ? <span className="text-danger">removed: {changes.removed.join(", ")}</span> : null}
              {" — "}callers must send the new set.
            </p>
          ) : null}
        </section>
        <section aria-labelledby="draft-diff-heading">
          <h2 id="draft-diff-heading" className="mb-2 text-sm font-semibold">
            {base ? `Changes against v${base.version} (word by word)` : "New template"}
          </h2>
          <pre data-testid="word-diff" className="max-h-[28rem] overflow-auto rounded-lg border border-border bg-muted/40 p-3 text-xs">
            <WordDiff before={base ? readable(initial) : ""} after={readable(draft)} />
          </pre>
        </section>
      </div>
    </form>
  );
}

/** The prompt editor: a new version from the UI, diffed word by word against the one it starts from. */
export function PromptEditor({ name, from }: { name: string; from?: number }) {
  const query = useRegistered(name);
  return (
    <QueryState query={query} errorTitle={`Could not load ${name}`}>
      {(data) => <Editor data={data} from={from} />}
    </QueryState>
  );
}
