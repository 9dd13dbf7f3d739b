import "server-only";
import type { NextRequest } from "next/server";
import type { RequestContext } from "@/lib/auth/context.server";
import type { Caller } from "@/lib/auth/caller";
import { AuthError } from "@/lib/auth/errors";
import { BadRequestError } from "@/lib/http/errors";
import { badTextOf } from "@/lib/http/json-input";
import { REVIEWER_COOKIE, reviewerName } from "./schemas";
import type { LabellingContext } from "./sql.server";

/** Both stores of the request's context, as the labelling services take them. */
export function labellingContextOf(ctx: RequestContext): LabellingContext {
  return { db: ctx.stores.postgres.db, clickhouse: ctx.stores.clickhouse.client };
}

/**
 * The reviewer is the caller: the signed-in account (or the key's identity), so a label cannot be
 * made in another's name. A `reviewer` in the body that names someone else is refused. Only when
 * auth is off (no identities at all) is the reviewer a free name, from the body or the cookie.
 */
export function reviewerOf(req: NextRequest, caller: Caller, fromBody?: string): string {
  if (caller.kind === "user" || caller.kind === "key" || caller.kind === "internal") {
    if (fromBody !== undefined && fromBody !== caller.name) {
      throw new AuthError("forbidden", `You label as ${caller.name}; "reviewer" cannot name another reviewer`);
    }
    return caller.name;
  }
  const raw = fromBody ?? req.cookies.get(REVIEWER_COOKIE)?.value;
  const parsed = reviewerName.safeParse(raw === undefined ? undefined : safeDecode(raw));
  if (parsed.success && badTextOf(parsed.data)) throw new BadRequestError(`reviewer: ${badTextOf(parsed.data)}`);
  if (!parsed.success) {
    throw new BadRequestError(`Enter your reviewer name first (the ${REVIEWER_COOKIE} cookie, or "reviewer" in the body)`);
  }
  return parsed.data;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
