import "server-only";
import type { NextRequest } from "next/server";
import { BadRequestError } from "@/lib/http/errors";
import { getStores } from "@/lib/stores/index.server";
import { REVIEWER_COOKIE, reviewerName } from "./schemas";
import type { LabellingContext } from "./sql.server";

/** Both stores of this process, as the labelling services take them. */
export async function labellingContext(): Promise<LabellingContext> {
  const stores = await getStores();
  return { db: stores.postgres.db, clickhouse: stores.clickhouse.client };
}

/** The reviewer: `reviewer` in the body if given, else the name kept in the cookie. */
export function reviewerOf(req: NextRequest, fromBody?: string): string {
  const raw = fromBody ?? req.cookies.get(REVIEWER_COOKIE)?.value;
  const parsed = reviewerName.safeParse(raw === undefined ? undefined : safeDecode(raw));
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

export function param(params: Record<string, string | string[]>, name: string): string {
  const value = params[name];
  if (typeof value !== "string" || !value) throw new BadRequestError(`Missing path parameter ${name}`);
  return value;
}

export function numericParam(params: Record<string, string | string[]>, name: string): number {
  const text = param(params, name);
  if (!/^\d{1,15}$/.test(text)) throw new BadRequestError(`${name} must be a whole number, not "${text}"`);
  return Number(text);
}
