/** How much of an offending value an error message quotes: MLflow's own `value[:250]`, everywhere. */
export const QUOTE_LIMIT = 250;
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

// A little over the quote limit, so a value quoted at the limit keeps its quotes and punctuation.
const LONG_RUN = new RegExp(`\\S{${QUOTE_LIMIT + 20},}`, "g");

/**
 * The last step of every error mapper: each run of non-space characters well over QUOTE_LIMIT
 * (a quoted name, id or value) is clipped to it, then the whole message to MESSAGE_LIMIT. So no message
 * repeats a client's huge value, whichever code wrote it.
 */
export function clipMessage(message: string): string {
  return clip(
    message.replace(LONG_RUN, (run) => clip(run)),
    MESSAGE_LIMIT,
  );
}
