import "server-only";
import type { Db } from "@/db/client.server";
import { labelQueues } from "@/db/schema";
import { nameMatch } from "@/lib/find/match.server";

/** Labelling queues whose name contains `text`, at most `limit`, for search everywhere (lib/find). */
export async function findQueues(db: Db, text: string, limit: number) {
  const m = nameMatch(labelQueues.name, text);
  return db
    .select({ id: labelQueues.id, name: labelQueues.name, description: labelQueues.description })
    .from(labelQueues)
    .where(m.where)
    .orderBy(...m.order)
    .limit(limit);
}
