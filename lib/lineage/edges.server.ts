import "server-only";
import type { DbOrTx } from "@/db/client.server";
import { lineageEdges } from "@/db/schema";
import type { NodeRef } from "./nodes";

export interface Edge {
  src: NodeRef;
  relation: string;
  dst: NodeRef;
}

/** Records edges idempotently: writing the same edge twice keeps one row and its first time. */
export async function recordEdges(db: DbOrTx, edges: Edge[], now = Date.now()): Promise<void> {
  if (edges.length === 0) return;
  await db
    .insert(lineageEdges)
    .values(edges.map((e) => ({ srcKind: e.src.kind, srcId: e.src.id, relation: e.relation, dstKind: e.dst.kind, dstId: e.dst.id, createdAt: now })))
    .onConflictDoNothing();
}
