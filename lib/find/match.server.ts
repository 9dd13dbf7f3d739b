import "server-only";
import { asc, ilike, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { containsLike, prefixLike } from "./pattern";

/**
 * A case-insensitive "name contains" condition and the order that puts the best names first:
 * those starting with the text, then shorter names, then alphabetical. The text is a bound
 * parameter (escaped for LIKE), never SQL.
 */
export function nameMatch(column: AnyColumn, text: string): { where: SQL; order: SQL[] } {
  return {
    where: ilike(column, containsLike(text)),
    order: [sql`(${column} ilike ${prefixLike(text)}) desc`, sql`length(${column})`, asc(column)],
  };
}
