"use client";

import type { ReactNode } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { useCaller } from "@/lib/accounts/use-caller";
import type { Permission } from "@/lib/accounts/schemas";

/**
 * Renders `children` only for a caller holding `permission` (and `fallback`, if any, otherwise).
 * While the caller is still unknown it renders nothing, so no button flashes in or out. A
 * convenience for the UI: the API enforces every permission regardless.
 */
export function Can({ permission, fallback = null, children }: { permission: Permission; fallback?: ReactNode; children: ReactNode }) {
  const me = useCaller().data;
  if (!me) return null;
  return <>{me.caller.permissions.includes(permission) ? children : fallback}</>;
}

const WHO: Record<Permission, string> = {
  read: "anyone signed in",
  label: "reviewers, editors and admins",
  edit: "editors and admins",
  admin: "admins",
  inference: "inference keys",
  tracking: "tracking keys",
};

/** A whole page or form for `permission`: others see why it is not offered, instead of a form the API would refuse. */
export function CanOrExplain({ permission, what, children }: { permission: Permission; what: string; children: ReactNode }) {
  const role = useCaller().data?.caller.role;
  return (
    <Can
      permission={permission}
      fallback={
        <EmptyState title={`Only ${WHO[permission]} can ${what}`}>
          {role ? `You are signed in as a ${role}. ` : ""}Ask an admin for a role that may, or look around: everything here is readable.
        </EmptyState>
      }
    >
      {children}
    </Can>
  );
}
