import { bigint, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

/**
 * First-class lineage edges between the things this app knows: datasets, runs, model and prompt
 * versions, gateway variants and functions, labelling queues. Node ids are namespaced by kind
 * (see lib/lineage/nodes.ts). Edges are written once, idempotently, by the domain that learns of
 * them; high-volume links (inference → variant, label → inference) stay in ClickHouse rows and
 * are joined in by the lineage service instead of being copied here.
 */
export const lineageEdges = pgTable(
  "lineage_edges",
  {
    srcKind: text("src_kind").notNull(),
    srcId: text("src_id").notNull(),
    relation: text("relation").notNull(),
    dstKind: text("dst_kind").notNull(),
    dstId: text("dst_id").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.srcKind, t.srcId, t.relation, t.dstKind, t.dstId] }),
    index("lineage_edges_dst_idx").on(t.dstKind, t.dstId),
  ],
);
