import { z } from "zod";

/**
 * Evaluators by promptfoo's assertion names and semantics (a `not-` prefix inverts any of them),
 * plus LLM judges that are gateway functions (or a model given a built-in template) and the RAG
 * triad with TruLens' definitions. Declared per function in llmops.toml
 * (`[functions.F.evaluators.E]`), per evaluation run, or per dataset item (`assertions`).
 */

export const DETERMINISTIC_TYPES = [
  "equals",
  "contains",
  "icontains",
  "contains-any",
  "contains-all",
  "icontains-any",
  "icontains-all",
  "starts-with",
  "regex",
  "is-json",
  "contains-json",
  "levenshtein",
  "rouge-n",
  "rouge-l",
  "tool-call-f1",
  "latency",
  "cost",
] as const;

/** Judges: promptfoo's `llm-rubric` and RAG names, and the same checks by TruLens' names. */
export const JUDGE_TYPES = [
  "llm-rubric",
  "context-faithfulness",
  "answer-relevance",
  "context-relevance",
  "groundedness",
  "answer_relevance",
  "context_relevance",
] as const;

export type DeterministicType = (typeof DETERMINISTIC_TYPES)[number];
export type JudgeType = (typeof JUDGE_TYPES)[number];

const KNOWN = new Set<string>([...DETERMINISTIC_TYPES, ...JUDGE_TYPES]);
const UNSUPPORTED: Record<string, string> = {
  javascript: "runs code from the config; write a gateway function as an llm-rubric judge or use a deterministic type",
  python: "runs code from the config; write a gateway function as an llm-rubric judge or use a deterministic type",
  similar: "needs embeddings, which the gateway does not serve yet (issue 11); use rouge-l or levenshtein",
  webhook: "calls an outside service; not supported",
};

export const baseType = (type: string) => (type.startsWith("not-") ? type.slice(4) : type);
export const isJudgeType = (type: string): type is JudgeType => (JUDGE_TYPES as readonly string[]).includes(baseType(type));

/** Which gateway target a judge calls: a function (its variants and prompt are the judge) or a model with a built-in template. */
export const judgeTarget = z.union([z.object({ function: z.string().min(1) }).strict(), z.object({ model: z.string().min(1) }).strict()]);
export type JudgeTarget = z.infer<typeof judgeTarget>;

export const evaluatorSpec = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, "evaluator names use letters, digits, _ . : -"),
    type: z.string().superRefine((type, ctx) => {
      const base = baseType(type);
      if (UNSUPPORTED[base]) ctx.addIssue({ code: "custom", message: `"${base}" ${UNSUPPORTED[base]}` });
      else if (!KNOWN.has(base))
        ctx.addIssue({
          code: "custom",
          message: `unknown evaluator type "${type}"; known: ${[...KNOWN].join(", ")} (each may take a not- prefix)`,
        });
    }),
    value: z.unknown().optional(),
    threshold: z.number().optional(),
    weight: z.number().min(0).default(1),
    judge: judgeTarget.optional(),
  })
  .strict();
export type EvaluatorSpec = z.infer<typeof evaluatorSpec>;

/** How an evaluator is written in llmops.toml: the table's key is its name. */
export const configEvaluator = evaluatorSpec.omit({ name: true });
