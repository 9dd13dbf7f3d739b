import "server-only";
import { notFound, redirect } from "next/navigation";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";
import type { TrackingContext } from "@/lib/tracking/context";
import { AppError } from "@/lib/http/errors";
import { loadRegistered } from "./dashboard.server";
import type { RegisteredReply } from "./dashboard-schemas";

/**
 * Loads a registered model or prompt for its pages: 404 when it does not exist, and a redirect
 * when the link names the wrong kind (a prompt under /registry/models/…).
 */
export async function prefetchRegistered(
  ctx: TrackingContext,
  kind: string,
  name: string,
  rest = "",
): Promise<{ data: RegisteredReply; queryClient: ReturnType<typeof makeQueryClient> }> {
  if (kind !== "models" && kind !== "prompts") notFound();
  let data: RegisteredReply;
  try {
    data = await loadRegistered(ctx, kind, name);
  } catch (error) {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  }
  if (data.kind !== kind) redirect(`/registry/${data.kind}/${encodeURIComponent(name)}${rest}`);
  const queryClient = makeQueryClient();
  queryClient.setQueryData(queryKeys.registeredModel(name), data);
  return { data, queryClient };
}
