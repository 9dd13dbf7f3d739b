import { z } from "zod";

/**
 * Zod parsers of ClickHouse column values as JSONEachRow gives them, for row schemas. 64-bit
 * integers arrive as strings (CLIENT_SETTINGS quotes them on both engines), smaller ones as numbers.
 */

/** A UInt64/Int64 (a string) or a smaller integer (a number), as a number. */
export const count = z.union([z.number(), z.string()]).transform(Number);
/** A Float or Nullable(Float), as number | null. */
export const real = z.union([z.number(), z.string(), z.null()]).transform((v) => (v === null ? null : Number(v)));
/** A Bool (true/false) or UInt8 (0/1), as a boolean. */
export const flag = z.union([z.boolean(), z.number()]).transform(Boolean);
