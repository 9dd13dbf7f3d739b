import "server-only";
import type { NextRequest } from "next/server";
import { BadRequestError } from "@/lib/http/errors";
import { badTextOf } from "@/lib/http/json-input";
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
