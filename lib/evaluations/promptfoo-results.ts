import { z } from "zod";

/**
 * promptfoo's `-o results.json` (schema version 3): `{evalId, config, results: {version,
 * timestamp, prompts[], results[], stats}}`. Rows carry promptIdx, testIdx, provider, vars,
 * response{output, tokenUsage, cached, metadata}, success, score, namedScores, latencyMs, cost and
 * gradingResult{pass, score, reason, componentResults[]}. Unknown fields are kept and ignored.
 */

const assertionRef = z
  .object({ type: z.string(), value: z.unknown().optional(), metric: z.string().optional(), threshold: z.number().optional() })
  .passthrough();

const componentResult = z
  .object({ pass: z.boolean(), score: z.number(), reason: z.string().optional(), assertion: assertionRef.nullish() })
  .passthrough();

const row = z
  .object({
    promptIdx: z.number().int().min(0),
    testIdx: z.number().int().min(0),
    provider: z.object({ id: z.string(), label: z.string().optional() }).passthrough(),
    prompt: z.object({ label: z.string().optional(), raw: z.string().optional() }).passthrough().optional(),
    vars: z.record(z.string(), z.unknown()).default({}),
    response: z
      .object({
        output: z.unknown().optional(),
        cached: z.boolean().optional(),
        metadata: z.record(z.string(), z.unknown()).optional(),
        tokenUsage: z.record(z.string(), z.unknown()).optional(),
      })
      .passthrough()
      .nullish(),
    error: z.string().nullish(),
    success: z.boolean(),
    score: z.number().default(0),
    namedScores: z.record(z.string(), z.number()).default({}),
    latencyMs: z.number().default(0),
    cost: z.number().nullish(),
    gradingResult: z
      .object({
        pass: z.boolean(),
        score: z.number(),
        reason: z.string().optional(),
        componentResults: z.array(componentResult).default([]),
      })
      .passthrough()
      .nullish(),
  })
  .passthrough();
export type PromptfooRow = z.infer<typeof row>;

export const promptfooResults = z
  .object({
    evalId: z.string().optional(),
    config: z.record(z.string(), z.unknown()).default({}),
    results: z
      .object({
        version: z.literal(3, {
          error: "only promptfoo's results schema version 3 is read; re-run `promptfoo eval -o results.json` with promptfoo 0.100 or later",
        }),
        timestamp: z.string().optional(),
        prompts: z
          .array(z.object({ label: z.string().optional(), raw: z.string().optional(), provider: z.string().optional() }).passthrough())
          .default([]),
        results: z.array(row).min(1, "the file has no result rows"),
        stats: z.record(z.string(), z.unknown()).optional(),
      })
      .passthrough(),
  })
  .passthrough();
export type PromptfooResults = z.infer<typeof promptfooResults>;

/** A row's candidate: its provider (label, else id), and its prompt when the file has several. */
export function candidateOf(r: PromptfooRow, promptCount: number): string {
  const provider = r.provider.label ?? r.provider.id;
  const key = promptCount > 1 ? `${provider}-p${r.promptIdx + 1}` : provider;
  return (
    key
      .replace(/^file:\/\/.*\//, "")
      .replace(/[^A-Za-z0-9_.-]/g, "_")
      .slice(0, 100) || "promptfoo"
  );
}

/** An assertion's evaluator name, as promptfoo names its scores: the metric, else the type. */
export const evaluatorName = (a: { type: string; metric?: string } | null | undefined, i: number) =>
  a?.metric ?? (a ? a.type : `assert.${i + 1}`);

export const outputText = (output: unknown) =>
  output === undefined || output === null ? "" : typeof output === "string" ? output : JSON.stringify(output);
