import { v7 as uuidv7 } from "uuid";

/**
 * A UUIDv7 for time `ms`. For the present it uses the library's monotonic generator, so ids made
 * in the same millisecond still sort in creation order; for other times (the demo's virtual
 * clock) it embeds that time.
 */
export function uuidAt(ms: number): string {
  return Math.abs(ms - Date.now()) < 50 ? uuidv7() : uuidv7({ msecs: Math.floor(ms) });
}
