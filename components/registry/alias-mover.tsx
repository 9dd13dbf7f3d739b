"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useCan } from "@/lib/accounts/use-caller";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { queryKeys } from "@/lib/query/keys";
import { postAliasMove } from "@/lib/registry/api";
import { GateEvidence } from "./gate-evidence";

/**
 * Aliases of a registered model or prompt, each movable to another version after a confirmation
 * that says what changes (and, for prompts, that gateway variants following the alias switch
 * within seconds). A new alias can be added the same way.
 */
export function AliasMover({
  name,
  kind,
  aliases,
  versions,
}: {
  name: string;
  kind: "models" | "prompts";
  aliases: { alias: string; version: number }[];
  versions: number[];
}) {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<{ alias: string; from?: number; to: number } | undefined>();
  const [drafts, setDrafts] = useState<Record<string, number>>({});
  const [newAlias, setNewAlias] = useState("");
  const [newVersion, setNewVersion] = useState(versions[0] ?? 1);
  // Moving an alias is an editor's change; overriding the promotion gate is an admin's.
  const canMove = useCan("edit");
  const canOverride = useCan("admin");
  const [override, setOverride] = useState({ on: false, reason: "" });
  const move = useMutation({
    mutationFn: (p: { alias: string; to: number }) =>
      postAliasMove(name, p.alias, p.to, override.on && override.reason.trim() ? { reason: override.reason.trim() } : undefined),
    onSuccess: async () => {
      setPending(undefined);
      setNewAlias("");
      await queryClient.invalidateQueries({ queryKey: queryKeys.registeredModel(name) });
      await queryClient.invalidateQueries({ queryKey: ["registry"] });
    },
  });
  const ask = (alias: string, to: number, from?: number) => {
    move.reset();
    setOverride({ on: false, reason: "" });
    setPending({ alias, to, from });
  };
  return (
    <section aria-labelledby="aliases-heading" className="rounded-lg border border-border p-4">
      <h2 id="aliases-heading" className="mb-3 text-base font-semibold">
        Aliases
      </h2>
      {aliases.length === 0 ? (
        <p className="mb-3 text-sm text-muted-foreground">
          No aliases yet.{canMove ? " Add one below to give clients a stable name such as production." : ""}
        </p>
      ) : null}
      <ul className="space-y-2">
        {aliases.map((a) => {
          const target = drafts[a.alias] ?? a.version;
          return (
            <li key={a.alias} className="flex flex-wrap items-center gap-2 text-sm">
              <Badge tone={a.alias === "production" ? "success" : "neutral"}>@{a.alias}</Badge>
              <span>points at v{a.version}</span>
              {canMove ? (
                <>
                  <label className="sr-only" htmlFor={`alias-${a.alias}`}>
                    New version for @{a.alias}
                  </label>
                  <Select
                    id={`alias-${a.alias}`}
                    className="w-24"
                    value={target}
                    onChange={(e) => setDrafts((d) => ({ ...d, [a.alias]: Number(e.target.value) }))}
                  >
                    {versions.map((v) => (
                      <option key={v} value={v}>
                        v{v}
                      </option>
                    ))}
                  </Select>
                  <Button size="sm" disabled={target === a.version} onClick={() => ask(a.alias, target, a.version)}>
                    Move @{a.alias}
                  </Button>
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
      {canMove ? (
        <form
          className="mt-4 flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (newAlias.trim()) ask(newAlias.trim(), newVersion, aliases.find((a) => a.alias === newAlias.trim())?.version);
          }}
        >
          <Field label="New alias">
            {(props) => (
              <Input {...props} value={newAlias} onChange={(e) => setNewAlias(e.target.value)} placeholder="staging" className="w-40" />
            )}
          </Field>
          <Field label="Version">
            {(props) => (
              <Select {...props} value={newVersion} onChange={(e) => setNewVersion(Number(e.target.value))}>
                {versions.map((v) => (
                  <option key={v} value={v}>
                    v{v}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Button type="submit" size="sm" disabled={!newAlias.trim()}>
            Set alias
          </Button>
        </form>
      ) : null}
      {canMove ? (
        <ConfirmDialog
          open={pending !== undefined}
          title={pending?.from !== undefined ? `Move @${pending.alias}?` : `Set @${pending?.alias ?? ""}?`}
          confirmLabel={pending?.from !== undefined ? "Move alias" : "Set alias"}
          busy={move.isPending}
          error={move.error ? move.error.message : undefined}
          onCancel={() => setPending(undefined)}
          onConfirm={() => pending && move.mutate({ alias: pending.alias, to: pending.to })}
        >
          {pending ? (
            <>
              <p>
                {name} @{pending.alias}: {pending.from !== undefined ? `v${pending.from} → ` : ""}v{pending.to}
              </p>
              <p className="mt-2 text-muted-foreground">
                {kind === "prompts"
                  ? "Gateway variants that reference this alias serve the new version within about 5 seconds."
                  : "Clients loading this model by alias get the new version on their next load."}
              </p>
              <GateEvidence name={name} alias={pending.alias} version={pending.to} />
              {canOverride && move.error && /promotion gate refuses/.test(move.error.message) ? (
                <div className="mt-3 space-y-2 rounded-md border border-border p-2">
                  <label className="flex items-center gap-2 text-xs">
                    <input type="checkbox" checked={override.on} onChange={(e) => setOverride((o) => ({ ...o, on: e.target.checked }))} />
                    Override the gate (admin; the reason is kept with the decision)
                  </label>
                  {override.on ? (
                    <Field label="Reason for the override">
                      {(props) => (
                        <Textarea
                          {...props}
                          rows={2}
                          value={override.reason}
                          onChange={(e) => setOverride((o) => ({ ...o, reason: e.target.value }))}
                        />
                      )}
                    </Field>
                  ) : null}
                </div>
              ) : null}
            </>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
