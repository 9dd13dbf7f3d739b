"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Can } from "@/components/auth/can";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorState } from "@/components/ui/error-state";
import { Select } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { accountsApi, type UserPatch } from "@/lib/accounts/api-client";
import { apiMessage } from "@/lib/accounts/messages";
import { ROLES, type AdminUser } from "@/lib/accounts/schemas";
import { useCaller } from "@/lib/accounts/use-caller";
import { formatAt } from "@/lib/accounts/view";
import { queryKeys } from "@/lib/query/keys";
import { NewUserForm } from "./new-user-form";
import { ResetPasswordDialog } from "./reset-password-dialog";

/** Admins only: every account, its role (changed in place), disable or enable, reset a password. */
export function UsersView() {
  return (
    <Can permission="admin" fallback={<ErrorState title="Admins only" error="Only an admin can see and change accounts." />}>
      <UsersAdmin />
    </Can>
  );
}

function UsersAdmin() {
  const me = useCaller().data;
  const users = useQuery({ queryKey: queryKeys.users(), queryFn: accountsApi.users });
  const queryClient = useQueryClient();
  const [toggling, setToggling] = useState<AdminUser>();
  const [resetting, setResetting] = useState<AdminUser>();
  const update = useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: UserPatch }) => accountsApi.updateUser(id, patch),
    onSuccess: async () => {
      setToggling(undefined);
      await queryClient.invalidateQueries({ queryKey: queryKeys.users() });
    },
  });
  const self = me?.user?.id;

  return (
    <div className="flex flex-col gap-6">
      <NewUserForm onCreated={() => queryClient.invalidateQueries({ queryKey: queryKeys.users() })} />
      {update.error && !toggling ? (
        <p role="alert" className="text-sm text-danger">
          {apiMessage(update.error)}
        </p>
      ) : null}
      <QueryState query={users} errorTitle="Could not load the users">
        {(list) => (
          <Table caption="Users">
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Email</Th>
                <Th>Role</Th>
                <Th>Created</Th>
                <Th>Status</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {list.map((user) => (
                <Tr key={user.id}>
                  <Td className="font-medium">
                    {user.name}
                    {user.id === self ? <span className="ml-1 text-xs text-muted-foreground">(you)</span> : null}
                  </Td>
                  <Td>{user.email}</Td>
                  <Td>
                    <Select
                      aria-label={`Role of ${user.email}`}
                      value={user.role}
                      // An admin demoting themself could lock everyone out; the server refuses the last admin too.
                      disabled={update.isPending || user.id === self}
                      onChange={(e) => {
                        const role = ROLES.find((r) => r === e.target.value);
                        if (role && role !== user.role) update.mutate({ id: user.id, patch: { role } });
                      }}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </Select>
                  </Td>
                  <Td className="whitespace-nowrap">{formatAt(user.created_at)}</Td>
                  <Td>{user.disabled_at ? <Badge tone="danger">disabled</Badge> : <Badge tone="success">active</Badge>}</Td>
                  <Td>
                    <div className="flex gap-2">
                      <Link
                        href={`/admin/audit?actor=${encodeURIComponent(user.email)}`}
                        className="inline-flex items-center rounded-md border border-border px-2 py-1 text-xs hover:bg-muted"
                        aria-label={`Audit log of ${user.email}`}
                      >
                        History
                      </Link>
                      <Button size="sm" aria-label={`Reset password of ${user.email}`} onClick={() => setResetting(user)}>
                        Reset password
                      </Button>
                      {user.id === self ? null : (
                        <Button
                          size="sm"
                          variant={user.disabled_at ? "secondary" : "danger"}
                          aria-label={`${user.disabled_at ? "Enable" : "Disable"} ${user.email}`}
                          onClick={() => {
                            update.reset();
                            setToggling(user);
                          }}
                        >
                          {user.disabled_at ? "Enable" : "Disable"}
                        </Button>
                      )}
                    </div>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </QueryState>
      <ConfirmDialog
        open={toggling !== undefined}
        title={toggling?.disabled_at ? `Enable ${toggling.email}?` : `Disable ${toggling?.email ?? ""}?`}
        confirmLabel={toggling?.disabled_at ? "Enable" : "Disable"}
        tone={toggling?.disabled_at ? "primary" : "danger"}
        busy={update.isPending}
        error={update.error && toggling ? apiMessage(update.error) : undefined}
        onConfirm={() => toggling && update.mutate({ id: toggling.id, patch: { disabled: !toggling.disabled_at } })}
        onCancel={() => setToggling(undefined)}
      >
        {toggling?.disabled_at
          ? "They can sign in again with their password."
          : "They are signed out everywhere and cannot sign in. Their past labels and changes keep their name; their API keys stop working."}
      </ConfirmDialog>
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(undefined)} />
    </div>
  );
}
