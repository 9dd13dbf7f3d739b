import { z } from "zod";

/** Shapes of the playground's routes; safe for the browser. */

/** What the playground runs: a configured variant as it is, or a prompt version (`name/3`, `name@alias`) tried on a variant's model and parameters. */
export const playgroundTarget = z.union([
  z.object({ variant: z.string().min(1).max(256) }),
  z.object({ prompt: z.string().min(1).max(300), base: z.string().min(1).max(256).optional() }),
]);
export type PlaygroundTarget = z.output<typeof playgroundTarget>;

export const playgroundRunBody = z.object({
  function: z.string().min(1).max(256),
  target: playgroundTarget,
  variables: z.record(z.string().max(250), z.unknown()).default({}),
  /** Which column of a side-by-side comparison this is (kept as a tag, so the two answers can be found together). */
  side: z.enum(["a", "b"]).optional(),
});
export type PlaygroundRunBody = z.input<typeof playgroundRunBody>;

export const catalogVariant = z.object({
  name: z.string(),
  model: z.string(),
  weight: z.number(),
  /** `prompts:/…` reference, or the registry name of its inline templates; null when it sends no prompt. */
  prompt: z.string().nullable(),
  promptKind: z.enum(["inline", "ref", "none"]),
  variables: z.array(z.string()),
  params: z.record(z.string(), z.unknown()),
});
export const catalogReply = z.object({
  functions: z.array(z.object({ name: z.string(), description: z.string(), variants: z.array(catalogVariant) })),
});
export type CatalogReply = z.output<typeof catalogReply>;

/** One line of the run's NDJSON stream. */
export const playgroundEvent = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("start"),
    inferenceId: z.string(),
    episodeId: z.string(),
    variant: z.string(),
    model: z.string(),
    promptVersion: z.string(),
  }),
  z.object({ type: z.literal("delta"), content: z.string() }),
  z.object({
    type: z.literal("done"),
    latencyMs: z.number(),
    ttftMs: z.number().nullable(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    cost: z.number(),
  }),
  z.object({ type: z.literal("error"), message: z.string() }),
]);
export type PlaygroundEvent = z.output<typeof playgroundEvent>;

/** The tag every playground inference carries (and its value), so dashboards can tell tries from production traffic. */
export const SOURCE_TAG = "llmops.source";
export const PLAYGROUND_SOURCE = "playground";
