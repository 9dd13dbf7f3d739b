import { z } from "zod";
import { NODE_KINDS, parseNode } from "./nodes";

/** GET /api/lineage: query and reply, shared by the route and (later) the dashboard's fetchers. */
export const MAX_DEPTH = 5;
export const MAX_NODES = 500;

export const lineageQuery = z.object({
  node: z.string().transform((text, ctx) => {
    try {
      return parseNode(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  }),
  depth: z.coerce.number().int().min(1).max(MAX_DEPTH).default(2),
  limit: z.coerce.number().int().min(1).max(MAX_NODES).default(200),
});

export const lineageGraphSchema = z.object({
  root: z.string(),
  depth: z.number().int(),
  nodes: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(NODE_KINDS),
      key: z.string(),
      label: z.string(),
      href: z.string().optional(),
      missing: z.boolean().optional(),
    }),
  ),
  edges: z.array(z.object({ source: z.string(), target: z.string(), relation: z.string() })),
  truncated: z.boolean(),
});

export type LineageGraphReply = z.infer<typeof lineageGraphSchema>;
