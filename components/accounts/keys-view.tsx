"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { KeySecretDialog } from "@/components/auth/key-secret-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { accountsApi } from "@/lib/accounts/api-client";
import { apiMessage } from "@/lib/accounts/messages";
import type { ApiKey, CreatedKey } from "@/lib/accounts/schemas";
import { allows, useCaller } from "@/lib/accounts/use-caller";
import { formatAt, keyStatus } from "@/lib/accounts/view";
import { queryKeys } from "@/lib/query/keys";
import { NewKeyForm } from "./new-key-form";

const statusTone = { active: "success", revoked: "danger", expired: "warning" } as const;

/** Keys: the caller's own, or every key for an admin; create one (its secret shown once) or revoke one. */
export function KeysView() {
  const me = useCaller().data;
  const admin = allows(me, "admin");
  const keys = useQuery({ queryKey: queryKeys.keys(), queryFn: accountsApi.keys });
  const [created, setCreated] = useState<CreatedKey>();
  const [revoking, setRevoking] = useState<ApiKey>();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: string) => accountsApi.revokeKey(id),
    onSuccess: async () => {
      setRevoking(undefined);
      await queryClient.invalidateQueries({ queryKey: queryKeys.keys() });
    },
  });

  return (
    <div className="flex flex-col gap-6">
      <NewKeyForm
        role={me?.caller.role ?? null}
        admin={admin}
        permissions={me?.caller.permissions ?? []}
        onCreated={async (made) => {
          setCreated(made);
          await queryClient.invalidateQueries({ queryKey: queryKeys.keys() });
        }}
      />
      <QueryState query={keys} errorTitle="Could not load the API keys">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No API keys yet">Create one above for a script, a CI job or an OpenAI or MLflow client.</EmptyState>
          ) : (
            <Table caption="API keys">
              <THead>
                <tr>
                  <Th>Name</Th>
                  <Th>Key</Th>
                  {admin ? <Th>Owner</Th> : null}
                  <Th>Access</Th>
                  <Th>Created</Th>
                  <Th>Expires</Th>
                  <Th>Last used</Th>
                  <Th>Status</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </THead>
              <TBody>
                {list.map((key) => {
                  const status = keyStatus(key);
                  return (
                    <Tr key={key.id}>
                      <Td className="font-medium">{key.name}</Td>
                      <Td className="font-mono text-xs">{key.prefix}…</Td>
                      {admin ? <Td>{key.user?.email ?? <Badge>service</Badge>}</Td> : null}
                      <Td>{key.scope ? `scope: ${key.scope}` : key.role ? `role: ${key.role}` : "—"}</Td>
                      <Td className="whitespace-nowrap">{formatAt(key.created_at)}</Td>
                      <Td className="whitespace-nowrap">{key.expires_at ? formatAt(key.expires_at) : "never"}</Td>
                      <Td className="whitespace-nowrap">{key.last_used_at ? formatAt(key.last_used_at) : "never"}</Td>
                      <Td>
                        <Badge tone={statusTone[status]}>{status}</Badge>
                      </Td>
                      <Td>
                        {status === "revoked" ? null : (
                          <Button
                            size="sm"
                            variant="danger"
                            aria-label={`Revoke ${key.name}`}
                            onClick={() => {
                              revoke.reset();
                              setRevoking(key);
                            }}
                          >
                            Revoke
                          </Button>
                        )}
                      </Td>
                    </Tr>
                  );
                })}
              </TBody>
            </Table>
          )
        }
      </QueryState>
      <ConfirmDialog
        open={revoking !== undefined}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        confirmLabel="Revoke key"
        tone="danger"
        busy={revoke.isPending}
        error={revoke.error ? apiMessage(revoke.error) : undefined}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        onCancel={() => setRevoking(undefined)}
      >
        Every request with the key <code className="font-mono">{revoking?.prefix}…</code> is refused from now on. This cannot be undone;
        create a new key if it is needed again.
      </ConfirmDialog>
      <KeySecretDialog created={created} onClose={() => setCreated(undefined)} />
    </div>
  );
}
