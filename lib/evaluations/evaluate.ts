import type { StoredScore } from "@/db/schema/evaluations";
import { runDeterministic, type EvalSubject } from "./deterministic";
import { baseType, isJudgeType, type DeterministicType, type EvaluatorSpec, type JudgeTarget } from "./evaluator-spec";
import { judgeMessages, judgeVariables, parseJudgeReply, ragKind } from "./judges";

/** A judge call through the gateway: a function with variables, or a model with messages. */
export interface JudgeCall {
  target: JudgeTarget;
  variables?: Record<string, string>;
  messages?: { role: "system" | "user"; content: string }[];
  evaluator: string;
}
export type JudgeRunner = (call: JudgeCall) => Promise<{ content: string; inferenceId: string }>;

/**
 * Scores one answered item with every evaluator. A `not-` type inverts pass and score. An
 * evaluator that cannot run (a judge that fails or answers badly, a bad regex) scores 0, fails,
 * and says why in `error`, so one broken evaluator never loses the item's other scores.
 */
export async function evaluateItem(
  specs: EvaluatorSpec[],
  subject: EvalSubject,
  judge: JudgeRunner,
  defaultJudge?: JudgeTarget,
): Promise<Record<string, StoredScore>> {
  const entries = await Promise.all(
    specs.map(async (spec): Promise<[string, StoredScore]> => {
      const negate = spec.type.startsWith("not-");
      try {
        let score: StoredScore;
        if (isJudgeType(spec.type)) {
          const target = spec.judge ?? defaultJudge;
          if (!target) throw new Error("no judge: give the evaluator `judge = { function | model }` or the run a default judge");
          const rubric = typeof spec.value === "string" ? spec.value : undefined;
          const needsContext = ragKind(spec.type) !== undefined && ragKind(spec.type) !== "answer_relevance";
          if (needsContext && !subject.context) throw new Error("this check needs the item's reference context");
          const call: JudgeCall =
            "function" in target
              ? { target, variables: judgeVariables(spec.type, rubric, subject), evaluator: spec.name }
              : { target, messages: judgeMessages(spec.type, rubric, subject), evaluator: spec.name };
          const reply = await judge(call);
          const scale = "model" in target && ragKind(spec.type) ? 3 : 1;
          const parsed = parseJudgeReply(spec.type, reply.content, spec.threshold, scale);
          score = parsed.ok
            ? { ...parsed.verdict, judgeInferenceId: reply.inferenceId }
            : { score: 0, pass: false, error: parsed.error, judgeInferenceId: reply.inferenceId };
        } else {
          score = runDeterministic(baseType(spec.type) as DeterministicType, spec.value, spec.threshold, subject);
        }
        if (negate && score.error === undefined) score = { ...score, pass: !score.pass, score: 1 - score.score };
        return [spec.name, score];
      } catch (error) {
        return [spec.name, { score: 0, pass: false, error: (error as Error).message }];
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** promptfoo's rule: an item passes when every evaluator with a weight above 0 passes. */
export function itemPassed(specs: EvaluatorSpec[], scores: Record<string, StoredScore>): boolean {
  return specs.every((s) => s.weight === 0 || scores[s.name]?.pass === true);
}
