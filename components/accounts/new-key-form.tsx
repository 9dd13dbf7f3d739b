"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { accountsApi, type NewKeyInput } from "@/lib/accounts/api-client";
import { apiMessage } from "@/lib/accounts/messages";
import { ROLE_HINTS, SCOPES, SCOPE_HINTS, type CreatedKey, type Permission, type Role, type Scope } from "@/lib/accounts/schemas";
import { dayEndIso, rolesUpTo } from "@/lib/accounts/view";

/**
 * A new key: a name, a role (at most the creator's own) or a service scope, an optional expiry
 * day, and for an admin whether it is a service key that belongs to no user.
 */
export function NewKeyForm({
  role,
  admin,
  permissions,
  onCreated,
}: {
  role: Role | null;
  admin: boolean;
  /** The creator's permissions: a personal key may only carry a scope its owner holds. */
  permissions: readonly Permission[];
  onCreated: (created: CreatedKey) => void | Promise<void>;
}) {
  const roles = rolesUpTo(role);
  const scopes = SCOPES.filter((s) => admin || permissions.includes(s));
  const [name, setName] = useState("");
  const [access, setAccess] = useState<"role" | "scope">("role");
  const [keyRole, setKeyRole] = useState<Role>(roles[0] ?? "viewer");
  const [keyScope, setKeyScope] = useState<Scope>(scopes[0] ?? "inference");
  const [service, setService] = useState(false);
  const [expires, setExpires] = useState("");
  const [touched, setTouched] = useState(false);
  const today = new Date().toISOString().slice(0, 10);
  const create = useMutation({
    mutationFn: (body: NewKeyInput) => accountsApi.createKey(body),
    onSuccess: async (made) => {
      setName("");
      setExpires("");
      setTouched(false);
      await onCreated(made);
    },
  });
  const nameError = touched && !name.trim() ? "Name the key after what uses it" : undefined;
  const expiryError = expires && (!dayEndIso(expires) || expires < today) ? "Pick today or a later day" : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!name.trim() || expiryError) return;
    create.mutate({
      name: name.trim(),
      ...(access === "role" ? { role: keyRole } : { scope: keyScope }),
      ...(admin && service ? { service: true } : {}),
      ...(expires ? { expires_at: dayEndIso(expires) } : {}),
    });
  };
  return (
    <Card>
      <CardTitle>New API key</CardTitle>
      <form onSubmit={submit} aria-label="New API key" className="mt-3 flex flex-col gap-3">
        <div className="flex flex-wrap items-start gap-3">
          <Field label="Name" error={nameError} className="min-w-56 flex-1">
            {(props) => <Input {...props} value={name} placeholder="ci-evaluations" onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label="Access">
            {(props) => (
              <Select {...props} value={access} onChange={(e) => setAccess(e.target.value === "scope" ? "scope" : "role")}>
                <option value="role">A role</option>
                {scopes.length > 0 ? <option value="scope">A service scope</option> : null}
              </Select>
            )}
          </Field>
          {access === "role" ? (
            <Field label="Role" hint={ROLE_HINTS[keyRole]}>
              {(props) => (
                <Select {...props} value={keyRole} onChange={(e) => setKeyRole(roles.find((r) => r === e.target.value) ?? keyRole)}>
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          ) : (
            <Field label="Scope" hint={SCOPE_HINTS[keyScope]}>
              {(props) => (
                <Select {...props} value={keyScope} onChange={(e) => setKeyScope(scopes.find((s) => s === e.target.value) ?? keyScope)}>
                  {scopes.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          )}
          <Field label="Expires (UTC, end of day)" hint="Empty: never" error={expiryError}>
            {(props) => <Input {...props} type="date" min={today} value={expires} onChange={(e) => setExpires(e.target.value)} />}
          </Field>
        </div>
        {admin ? (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={service} onChange={(e) => setService(e.target.checked)} />
            Service key: belongs to no user (for automation; it keeps working when a person leaves)
          </label>
        ) : null}
        {create.error ? (
          <p role="alert" className="text-sm text-danger">
            {apiMessage(create.error)}
          </p>
        ) : null}
        <Button type="submit" variant="primary" className="self-start" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create key"}
        </Button>
      </form>
    </Card>
  );
}
