import "server-only";
import { and, inArray, sql } from "drizzle-orm";
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
    .values(
      edges.map((e) => ({
        srcKind: e.src.kind,
        srcId: e.src.id,
        relation: e.relation,
        dstKind: e.dst.kind,
        dstId: e.dst.id,
        createdAt: now,
      })),
    )
    .onConflictDoNothing();
}

/**
 * Follows a registered model's rename: version nodes (`name/3`) of model and prompt versions are
 * addressed by name, so their edges move to the new name.
 */
export async function renameVersionNodes(db: DbOrTx, oldName: string, newName: string): Promise<void> {
  const prefix = `${oldName}/`;
  for (const side of ["src", "dst"] as const) {
    const kind = side === "src" ? lineageEdges.srcKind : lineageEdges.dstKind;
    const id = side === "src" ? lineageEdges.srcId : lineageEdges.dstId;
    await db
      .update(lineageEdges)
      .set({ [side === "src" ? "srcId" : "dstId"]: sql`${newName} || substr(${id}, char_length(${oldName}) + 1)` })
      .where(and(inArray(kind, ["model_version", "prompt_version"]), sql`left(${id}, char_length(${prefix})) = ${prefix}`));
  }
}
