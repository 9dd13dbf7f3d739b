import type { TrackingContext } from "@/lib/tracking/context";
import type { Edge } from "./edges.server";

/**
 * The extension point of the lineage graph, one entry per node kind. `describe` gives labels and
 * dashboard links; `expand` adds edges that are not stored in lineage_edges because they are
 * derived (a run's experiment) or too many to copy (inference → variant, from ClickHouse rows).
 * Kinds without an entry still appear, labelled by their id. To plug in a kind, add an entry.
 */
export interface NodeDescription {
  label: string;
  href?: string;
}

export interface KindHandler {
  describe?(ctx: TrackingContext, ids: string[]): Promise<Map<string, NodeDescription>>;
  /** Edges touching the given nodes of this kind; at most `limit` of them. */
  expand?(ctx: TrackingContext, ids: string[], limit: number): Promise<Edge[]>;
}
