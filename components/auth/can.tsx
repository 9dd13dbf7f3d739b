"use client";

import type { ReactNode } from "react";
import { useCan } from "@/lib/accounts/use-caller";
import type { Permission } from "@/lib/accounts/schemas";

/**
 * Renders `children` only for a caller holding `permission` (and `fallback`, if any, otherwise).
 * A convenience for the UI: the API enforces every permission regardless.
 */
export function Can({ permission, fallback = null, children }: { permission: Permission; fallback?: ReactNode; children: ReactNode }) {
  return <>{useCan(permission) ? children : fallback}</>;
}
