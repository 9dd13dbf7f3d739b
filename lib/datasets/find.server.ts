import "server-only";
import type { Db } from "@/db/client.server";
import { namedDatasets } from "@/db/schema";
import { nameMatch } from "@/lib/find/match.server";

/** Datasets whose name contains `text`, at most `limit`, for search everywhere (lib/find). */
export async function findDatasets(db: Db, text: string, limit: number) {
  const m = nameMatch(namedDatasets.name, text);
  return db
    .select({ name: namedDatasets.name })
    .from(namedDatasets)
    .where(m.where)
    .orderBy(...m.order)
    .limit(limit);
}
