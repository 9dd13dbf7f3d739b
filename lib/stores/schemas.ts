import { z } from "zod";

export const storeHealthSchema = z.object({
  ok: z.boolean(),
  kind: z.enum(["embedded", "server"]).optional(),
  engine: z.enum(["PGlite", "PostgreSQL", "chDB", "ClickHouse"]).optional(),
  location: z.string().optional(),
  version: z.string().optional(),
  migrations: z.object({ applied: z.number(), known: z.number(), latest: z.string().nullable() }).optional(),
  latencyMs: z.number().optional(),
  error: z.string().optional(),
});

export const healthSchema = z.object({
  status: z.enum(["ok", "unavailable"]),
  app: z.object({ version: z.string(), uptimeSeconds: z.number() }),
  stores: z.object({ postgres: storeHealthSchema, clickhouse: storeHealthSchema }),
});

export type StoreHealth = z.infer<typeof storeHealthSchema>;
export type Health = z.infer<typeof healthSchema>;
