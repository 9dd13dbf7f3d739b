/**
 * True when a Postgres error (from either driver, possibly wrapped by Drizzle) is a unique
 * violation, which several writers turn into a domain "already exists" error.
 */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
