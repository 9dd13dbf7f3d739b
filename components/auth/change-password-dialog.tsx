"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { PasswordField } from "@/components/auth/password-field";
import { accountsApi } from "@/lib/accounts/api-client";
import { apiMessage } from "@/lib/accounts/messages";

/** Changes the signed-in account's own password: the current one, then the new one twice. */
export function ChangePasswordDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({ mutationFn: () => accountsApi.changePassword(current, next) });
  const close = () => {
    setCurrent("");
    setNext("");
    setAgain("");
    setMismatch(false);
    change.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (next !== again) return setMismatch(true);
    setMismatch(false);
    change.mutate();
  };
  return (
    <Dialog open={open} title="Change password" onClose={close} dismissable={!change.isPending}>
      {change.isSuccess ? (
        <div className="flex flex-col gap-4">
          <p role="status">Your password is changed. Your other sessions (other browsers) are signed out; this one stays.</p>
          <Button variant="primary" className="self-end" onClick={close} autoFocus>
            Done
          </Button>
        </div>
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Change password">
          <PasswordField label="Current password" autoComplete="current-password" value={current} onChange={setCurrent} />
          <PasswordField label="New password" hint="At least 10 characters" autoComplete="new-password" value={next} onChange={setNext} />
          <PasswordField
            label="New password again"
            error={mismatch ? "The two new passwords differ" : undefined}
            autoComplete="new-password"
            value={again}
            onChange={setAgain}
          />
          {change.error ? (
            <p role="alert" className="text-danger">
              {apiMessage(change.error)}
            </p>
          ) : null}
          <div className="mt-2 flex justify-end gap-2">
            <Button onClick={close} disabled={change.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={change.isPending}>
              {change.isPending ? "Saving…" : "Change password"}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
