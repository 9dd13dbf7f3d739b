"use client";

import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/query/keys";
import { accountsApi } from "./api-client";
import type { Me, Permission } from "./schemas";

/**
 * Who is using the dashboard (GET /api/auth/me). The dashboard layout seeds it from the server, so
 * gated buttons render right on first paint; it is refetched after sign-in, sign-out and role changes.
 */
export function useCaller() {
  return useQuery({ queryKey: queryKeys.me(), queryFn: accountsApi.me, staleTime: 5 * 60_000 });
}

/** Whether `me` holds `permission`; false while unknown, so nothing is offered that would be refused. */
export function allows(me: Me | undefined, permission: Permission): boolean {
  return me?.caller.permissions.includes(permission) ?? false;
}

/** Whether the signed-in caller may do `permission`. */
export function useCan(permission: Permission): boolean {
  return allows(useCaller().data, permission);
}
