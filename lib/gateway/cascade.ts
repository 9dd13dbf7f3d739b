import Ajv from "ajv";
import { z } from "zod";
import type { EvaluatorSpec } from "@/lib/evaluations/evaluator-spec";
import { evaluateItem, type JudgeRunner } from "@/lib/evaluations/evaluate";
import type { ChatOutput } from "./chat";

/**
 * Per-request model choice, part two: a cascade variant (`[functions.F.variants.V.cascade]`) asks
 * its own (cheap) model first and escalates to the next model of `models` when the answer fails a
 * check: a JSON schema, one of the function's evaluators (lib/evaluations), a refusal pattern, or
 * a mean token logprob below a floor. Every step is a model call in the log; the inference is
 * tagged `llmops.cascade` with the step that answered (0 = the first model).
 */
export const cascadeSchema = z
  .strictObject({
    /** Stronger models tried in order after the variant's own `model`. */
    models: z.array(z.string().regex(/^[A-Za-z0-9_.-]+$/)).min(1, "a cascade needs at least one model to escalate to"),
    /** The answer must be JSON valid against this schema. */
    json_schema: z.record(z.string(), z.unknown()).optional(),
    /** The name of one of the function's evaluators (`[functions.F.evaluators.E]`); it must pass. */
    evaluator: z.string().min(1).optional(),
    /** A regular expression (case-insensitive) that marks a refusal, e.g. "I can(no|')t help". */
    refusal_pattern: z.string().min(1).optional(),
    /** The mean token logprob must be at least this (asked of OpenAI-type providers; skipped when none comes back). */
    min_mean_logprob: z.number().max(0).optional(),
  })
  .refine(
    (c) => c.json_schema !== undefined || c.evaluator !== undefined || c.refusal_pattern !== undefined || c.min_mean_logprob !== undefined,
    { message: "a cascade needs a check: json_schema, evaluator, refusal_pattern or min_mean_logprob" },
  );
export type CascadeConfig = z.infer<typeof cascadeSchema>;

export const CASCADE_TAG = "llmops.cascade";
export const CASCADE_REASON_TAG = "llmops.cascade_reason";

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<object, ReturnType<typeof ajv.compile>>();

/** Mean logprob of the answer's tokens from an OpenAI-shaped raw response; undefined when it has none. */
export function meanLogprob(raw: string): number | undefined {
  try {
    const body = JSON.parse(raw) as { choices?: { logprobs?: { content?: { logprob?: unknown }[] | null } | null }[] };
    const tokens = body.choices?.[0]?.logprobs?.content;
    if (!tokens?.length) return undefined;
    const values = tokens.map((t) => t.logprob).filter((v): v is number => typeof v === "number");
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
  } catch {
    return undefined;
  }
}

export interface CheckContext {
  evaluator?: EvaluatorSpec;
  judge: JudgeRunner;
  question: string;
  latencyMs: number;
  cost: number;
}

/** Whether an answer is good enough to stop the cascade, and if not, why. */
export async function checkAnswer(
  cascade: CascadeConfig,
  output: ChatOutput,
  raw: string,
  ctx: CheckContext,
): Promise<{ pass: boolean; reason: string }> {
  const text = output.content ?? "";
  if (cascade.refusal_pattern && new RegExp(cascade.refusal_pattern, "i").test(text)) return { pass: false, reason: "refusal" };
  if (cascade.json_schema) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { pass: false, reason: "not JSON" };
    }
    let validate = compiled.get(cascade.json_schema);
    if (!validate) compiled.set(cascade.json_schema, (validate = ajv.compile(cascade.json_schema)));
    if (!validate(value)) return { pass: false, reason: `JSON schema: ${ajv.errorsText(validate.errors, { separator: "; " })}` };
  }
  if (cascade.min_mean_logprob !== undefined) {
    const mean = meanLogprob(raw);
    if (mean !== undefined && mean < cascade.min_mean_logprob)
      return { pass: false, reason: `mean logprob ${mean.toFixed(3)} < ${cascade.min_mean_logprob}` };
  }
  if (ctx.evaluator) {
    const scores = await evaluateItem(
      [ctx.evaluator],
      {
        output: text,
        toolCalls: (output.tool_calls ?? []).map((c) => ({ name: c.function.name, arguments: c.function.arguments })),
        expected: null,
        context: null,
        question: ctx.question,
        latencyMs: ctx.latencyMs,
        cost: ctx.cost,
      },
      ctx.judge,
    );
    const score = scores[ctx.evaluator.name];
    if (!score?.pass) return { pass: false, reason: `evaluator ${ctx.evaluator.name}: ${score?.error ?? score?.reason ?? "failed"}` };
  }
  return { pass: true, reason: "" };
}
