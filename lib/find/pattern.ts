/**
 * LIKE patterns from typed text, for Postgres (ILIKE) and ClickHouse alike: both take `\` as the
 * escape character by default, so `%`, `_` and `\` in the text match themselves.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Matches values containing `text`. */
export const containsLike = (text: string) => `%${escapeLike(text)}%`;

/** Matches values starting with `text`. */
export const prefixLike = (text: string) => `${escapeLike(text)}%`;
