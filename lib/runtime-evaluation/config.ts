import { z } from "zod";
import { judgeTarget } from "@/lib/evaluations/evaluator-spec";

/**
 * `[functions.F.runtime_evaluation]`: score a share of the function's production inferences with
 * its evaluators (`[functions.F.evaluators.E]`), in the background.
 *
 * ```toml
 * [functions.answer.runtime_evaluation]
 * sample_rate = 0.05            # share of inferences scored (0–1)
 * evaluators = ["helpful"]      # default: every evaluator of the function
 * judge = { model = "judge" }   # default judge for judge evaluators without their own
 * max_backlog = 1000            # jobs waiting before sampling slows down (and stops at twice… see README)
 * ```
 */
export const runtimeEvaluationSchema = z.strictObject({
  sample_rate: z.number().min(0).max(1),
  evaluators: z.array(z.string().min(1)).optional(),
  judge: judgeTarget.optional(),
  max_backlog: z.number().int().min(1).max(10_000_000).default(1000),
});
export type RuntimeEvaluationConfig = z.infer<typeof runtimeEvaluationSchema>;

interface ConfigShape {
  functions: Record<string, { evaluators: Record<string, unknown>; runtime_evaluation?: RuntimeEvaluationConfig }>;
}

/** Every evaluator a function's runtime evaluation names must be one of the function's evaluators. */
export function checkRuntimeEvaluation(config: ConfigShape, issue: (path: (string | number)[], message: string) => void): void {
  for (const [fnName, fn] of Object.entries(config.functions)) {
    const runtime = fn.runtime_evaluation;
    if (!runtime) continue;
    const known = Object.keys(fn.evaluators);
    if (!known.length)
      issue(["functions", fnName, "runtime_evaluation"], "the function declares no evaluators ([functions.F.evaluators.E])");
    (runtime.evaluators ?? []).forEach((name, i) => {
      if (!known.includes(name))
        issue(
          ["functions", fnName, "runtime_evaluation", "evaluators", i],
          `unknown evaluator "${name}"; known: ${known.join(", ") || "none"}`,
        );
    });
  }
}
