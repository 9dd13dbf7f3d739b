"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { PasswordField } from "@/components/auth/password-field";
import { Field, Input, Select } from "@/components/ui/field";
import { accountsApi } from "@/lib/accounts/api-client";
import { apiMessage } from "@/lib/accounts/messages";
import { ROLES, ROLE_HINTS, type Role } from "@/lib/accounts/schemas";

/** A new account: email, name, role and a first password the admin hands over. */
export function NewUserForm({ onCreated }: { onCreated: () => unknown }) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [password, setPassword] = useState("");
  const [done, setDone] = useState<string>();
  const create = useMutation({
    mutationFn: () => accountsApi.createUser({ email: email.trim(), name: name.trim(), role, password }),
    onSuccess: async (user) => {
      setDone(`${user.email} can now sign in as ${user.role}.`);
      setEmail("");
      setName("");
      setPassword("");
      await onCreated();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    create.mutate();
  };
  return (
    <Card>
      <CardTitle>New user</CardTitle>
      <form onSubmit={submit} aria-label="New user" className="mt-3 flex flex-col gap-3">
        <div className="flex flex-wrap items-start gap-3">
          <Field label="Email" className="min-w-56 flex-1">
            {(props) => (
              <Input {...props} type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
            )}
          </Field>
          <Field label="Name" className="min-w-40 flex-1">
            {(props) => <Input {...props} required autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label="Role" hint={ROLE_HINTS[role]} className="max-w-72">
            {(props) => (
              <Select {...props} value={role} onChange={(e) => setRole(ROLES.find((r) => r === e.target.value) ?? role)}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <PasswordField
            label="First password"
            hint="At least 10 characters; hand it over, they can change it in the account menu"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
          />
        </div>
        {create.error ? (
          <p role="alert" className="text-sm text-danger">
            {apiMessage(create.error)}
          </p>
        ) : null}
        {done ? (
          <p role="status" className="text-sm text-success">
            {done}
          </p>
        ) : null}
        <Button type="submit" variant="primary" className="self-start" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create user"}
        </Button>
      </form>
    </Card>
  );
}
