/** How much of an offending value an error message quotes. */
export const QUOTE_LIMIT = 200;
/** The longest error message any surface sends; a longer one is clipped by its mapper. */
export const MESSAGE_LIMIT = 1_000;

/**
 * `text` cut to `max` characters with a note of how much was left out, never splitting a
 * surrogate pair. Every error mapper quotes client values through this, so a 300 KB value never
 * comes back in full.
 */
export function clip(text: string, max = QUOTE_LIMIT): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}… (${(text.length - end).toLocaleString("en-US")} more characters)`;
}

const LONG_RUN = new RegExp(`\\S{${QUOTE_LIMIT + 1},}`, "g");

/**
 * The last step of every error mapper: each run of more than QUOTE_LIMIT non-space characters
 * (a quoted name, id or value) is clipped, then the whole message to MESSAGE_LIMIT. So no message
 * repeats a client's huge value, whichever code wrote it.
 */
export function clipMessage(message: string): string {
  return clip(
    message.replace(LONG_RUN, (run) => clip(run)),
    MESSAGE_LIMIT,
  );
}
