import "server-only";
import { headers } from "next/headers";
import { getStores } from "@/lib/stores/index.server";
import { authenticate } from "./authenticate.server";
import { ANONYMOUS, type Caller } from "./caller";
import { AuthError } from "./errors";

/** The caller of the page being rendered (server components): from the request's cookie or key. */
export async function currentCaller(): Promise<Caller> {
  const [list, stores] = await Promise.all([headers(), getStores()]);
  try {
    return await authenticate((name) => list.get(name), stores.postgres.db);
  } catch (error) {
    if (error instanceof AuthError) return ANONYMOUS;
    throw error;
  }
}
