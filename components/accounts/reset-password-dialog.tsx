"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { PasswordField } from "@/components/auth/password-field";
import { accountsApi } from "@/lib/accounts/api-client";
import { apiMessage } from "@/lib/accounts/messages";
import type { AdminUser } from "@/lib/accounts/schemas";

/** An admin sets a new password for an account (for someone who forgot theirs). */
export function ResetPasswordDialog({ user, onClose }: { user: AdminUser | undefined; onClose: () => void }) {
  const [password, setPassword] = useState("");
  const reset = useMutation({ mutationFn: (id: string) => accountsApi.updateUser(id, { password }) });
  const close = () => {
    setPassword("");
    reset.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (user) reset.mutate(user.id);
  };
  return (
    <Dialog open={user !== undefined} title={`Reset the password of ${user?.email ?? ""}`} onClose={close} dismissable={!reset.isPending}>
      {reset.isSuccess ? (
        <div className="flex flex-col gap-4">
          <p role="status">The new password is set and their sessions are ended. Hand it over; they can change it in their account menu.</p>
          <Button variant="primary" className="self-end" onClick={close} autoFocus>
            Done
          </Button>
        </div>
      ) : (
        <form onSubmit={submit} aria-label="Reset password" className="flex flex-col gap-3">
          <PasswordField
            label="New password"
            hint="At least 10 characters"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
          />
          {reset.error ? (
            <p role="alert" className="text-danger">
              {apiMessage(reset.error)}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button onClick={close} disabled={reset.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={reset.isPending}>
              {reset.isPending ? "Saving…" : "Set password"}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
