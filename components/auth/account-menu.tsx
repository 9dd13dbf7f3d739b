"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { accountsApi } from "@/lib/accounts/api-client";
import { apiMessage } from "@/lib/accounts/messages";
import { useCaller } from "@/lib/accounts/use-caller";
import { ChangePasswordDialog } from "./change-password-dialog";

/**
 * The signed-in account in the shell: name and role, and a small menu to change the password or
 * sign out. Nothing when auth is off (every caller is the open one) or nobody is signed in.
 */
export function AccountMenu() {
  const me = useCaller().data;
  const [open, setOpen] = useState(false);
  const [changing, setChanging] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const signOut = useMutation({
    mutationFn: accountsApi.signOut,
    onSuccess: () => window.location.assign("/sign-in"),
  });
  useEffect(() => {
    if (!open) return;
    const away = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", away);
    document.addEventListener("keydown", away);
    return () => {
      document.removeEventListener("mousedown", away);
      document.removeEventListener("keydown", away);
    };
  }, [open]);

  if (!me?.auth_enabled || !me.user) return null;
  const { user } = me;
  return (
    <div ref={root} className="relative px-4 pb-3">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={`Account: ${user.name}`}
        onClick={() => setOpen((o) => !o)}
        className="flex w-full items-center justify-between gap-2 rounded-md border border-border bg-card px-2.5 py-1.5 text-left text-sm hover:bg-muted"
      >
        <span className="min-w-0 truncate">{user.name}</span>
        <Badge>{user.role}</Badge>
      </button>
      {open ? (
        <div
          id={panelId}
          role="group"
          aria-label="Account menu"
          className="absolute right-4 left-4 z-20 mt-1 flex flex-col gap-1 rounded-md border border-border bg-card p-2 text-sm shadow-lg"
        >
          <p className="truncate px-1 text-xs text-muted-foreground" title={user.email}>
            {user.email}
          </p>
          <Button
            variant="ghost"
            className="justify-start"
            onClick={() => {
              setOpen(false);
              setChanging(true);
            }}
          >
            Change password
          </Button>
          <Button variant="ghost" className="justify-start" disabled={signOut.isPending} onClick={() => signOut.mutate()}>
            {signOut.isPending ? "Signing out…" : "Sign out"}
          </Button>
          {signOut.error ? (
            <p role="alert" className="px-1 text-xs text-danger">
              {apiMessage(signOut.error)}
            </p>
          ) : null}
        </div>
      ) : null}
      <ChangePasswordDialog open={changing} onClose={() => setChanging(false)} />
    </div>
  );
}
