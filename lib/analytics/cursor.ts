import { z } from "zod";

/**
 * Keyset cursors of the inference browser: the (timestamp, id) of the last row shown, newest
 * first. Opaque to clients (base64url JSON), checked on the way back in.
 */
export interface Cursor {
  /** ClickHouse DateTime64(3) text, exactly as stored, so equality in the keyset holds. */
  ts: string;
  id: string;
}

const cursorSchema = z.object({
  ts: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,3})?$/),
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i),
});

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ ts: cursor.ts, id: cursor.id })).toString("base64url");
}

/** The cursor, or undefined when the text is not one of ours. */
export function decodeCursor(text: string): Cursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Epoch ms of a ClickHouse UTC DateTime64 text ("2026-11-20 10:00:00.123"). */
export const chTimeToMs = (text: string) => Date.parse(`${text.replace(" ", "T")}Z`);
