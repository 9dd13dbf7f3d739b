import { z } from "zod";
import { fetchJson } from "@/lib/query/fetch-json";
import { MAX_DEPTH, lineageGraphSchema } from "./schemas";

/** The lineage page's URL state and fetcher, shared by the server page (prefetch) and the client. */
export const lineageState = z.object({
  node: z.string().max(600).default(""),
  depth: z.coerce.number().int().min(1).max(MAX_DEPTH).default(2),
});

/** Nodes drawn at most; the layout stays readable at this size. */
export const LINEAGE_LIMIT = 200;

export const fetchLineage = (node: string, depth: number) =>
  fetchJson(
    `/api/lineage?${new URLSearchParams({ node, depth: String(depth), limit: String(LINEAGE_LIMIT) }).toString()}`,
    lineageGraphSchema,
  );
