import { z } from "zod";
import type { PlaygroundTarget } from "./schemas";

/** The playground's URL state: function, column A and optional column B (`variant:NAME` or `prompt:NAME/3`), dataset. */
export const playgroundState = z.object({
  fn: z.string().max(256).default(""),
  a: z.string().max(600).default(""),
  b: z.string().max(600).default(""),
  /** A prompt to open (from a prompt's page): column A tries its newest version. */
  prompt: z.string().max(300).default(""),
  dataset: z.string().max(100).default(""),
});
export type PlaygroundState = z.output<typeof playgroundState>;

/** `variant:concise` → {variant}; `prompt:summarize.concise/3@concise` → {prompt, base}; anything else → undefined. */
export function decodeTarget(text: string): PlaygroundTarget | undefined {
  if (text.startsWith("variant:") && text.length > 8) return { variant: text.slice(8) };
  if (text.startsWith("prompt:")) {
    const [prompt, base] = text.slice(7).split("|");
    if (prompt) return base ? { prompt, base } : { prompt };
  }
  return undefined;
}

export function encodeTarget(t: PlaygroundTarget): string {
  return "variant" in t ? `variant:${t.variant}` : `prompt:${t.prompt}${t.base ? `|${t.base}` : ""}`;
}

/** The registry name in a prompt reference (`name/3`, `name@alias`, `prompts:/name`). */
export function promptName(ref: string): string {
  const body = ref.startsWith("prompts:/") ? ref.slice(9) : ref;
  const at = body.lastIndexOf("@");
  if (at > 0) return body.slice(0, at);
  const slash = body.lastIndexOf("/");
  return slash > 0 && /^\d+$/.test(body.slice(slash + 1)) ? body.slice(0, slash) : body;
}

/** `name/3` → 3; an alias or no version → undefined (the newest). */
export function promptVersionNumber(ref: string): number | undefined {
  const m = /\/(\d+)$/.exec(ref);
  return m ? Number(m[1]) : undefined;
}

/** A dataset item's input as the form's variable values (strings; other JSON values as JSON text). */
export function itemVariables(input: string): Record<string, string> {
  try {
    const parsed = JSON.parse(input) as { variables?: Record<string, unknown> };
    return Object.fromEntries(Object.entries(parsed.variables ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  } catch {
    return {};
  }
}
