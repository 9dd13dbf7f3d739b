import "server-only";
import type { StoredCandidate, StoredScore } from "@/db/schema/evaluations";
import { costOf } from "@/lib/gateway/attempts.server";
import type { Gateway } from "@/lib/gateway/gateway.server";
import { itemInputText } from "@/lib/datasets/display";
import type { DatasetItem } from "@/lib/datasets/schemas";
import type { ChatMessage } from "@/lib/gateway/chat";
import { candidateVariantName } from "./candidates.server";
import { evaluateItem, itemPassed, type JudgeRunner } from "./evaluate";
import type { EvaluatorSpec, JudgeTarget } from "./evaluator-spec";
import { DATASET_ITEM_TAG, EVALUATION_RUN_TAG, EVALUATOR_TAG } from "./mlflow.server";

/** What one unit of work produced. */
export interface UnitResult {
  inferenceId: string;
  variantName: string;
  promptVersion: string;
  output: string;
  latencyMs: number;
  cost: number;
  scores: Record<string, StoredScore>;
  passed: boolean;
  functionName: string;
}

/** The run's tags on every inference it causes, so the dashboards leave them out of production figures. */
export const runTags = (runId: string, position: number): Record<string, string> => ({
  [EVALUATION_RUN_TAG]: runId,
  [DATASET_ITEM_TAG]: String(position),
});

/**
 * One unit: the dataset item through the gateway's own path (the candidate's variant pinned, not
 * cached, tagged with the run and item), then every evaluator; judges are gateway calls too,
 * tagged with the evaluator. Cost is computed as the gateway records it (tokens × the model's price).
 */
export async function executeUnit(input: {
  gateway: Gateway;
  runId: string;
  functionName: string;
  candidate: StoredCandidate;
  item: DatasetItem;
  repetition: number;
  specs: EvaluatorSpec[];
  judge?: JudgeTarget;
  signal: AbortSignal;
}): Promise<UnitResult> {
  const { gateway, item } = input;
  const parsed = JSON.parse(item.input) as { variables?: Record<string, unknown>; messages?: ChatMessage[] };
  const tags = runTags(input.runId, item.position);
  const result = await gateway.infer(
    {
      functionName: input.functionName,
      variant: candidateVariantName(input.candidate),
      variables: parsed.variables,
      messages: parsed.messages,
      tags: input.repetition ? { ...tags, "llmops.repetition": String(input.repetition) } : tags,
      cache: { enabled: false },
    },
    { signal: input.signal },
  );
  const model = gateway.config.models[result.modelName];
  const cost = model && !result.cached ? costOf(model, result.usage) : 0;
  const output = result.output.content ?? "";
  const judge: JudgeRunner = async (call) => {
    const judged = await gateway.infer(
      {
        ...("function" in call.target
          ? { functionName: call.target.function, variables: call.variables }
          : { modelName: call.target.model, messages: call.messages }),
        tags: { ...tags, [EVALUATOR_TAG]: call.evaluator, "llmops.judged_inference": result.inferenceId },
        cache: { enabled: false },
      },
      { signal: input.signal },
    );
    return { content: judged.output.content ?? "", inferenceId: judged.inferenceId };
  };
  const specs = [
    ...input.specs,
    ...item.assertions.map((a, i) => ({
      name: a.metric ?? `assert.${i + 1}.${a.type}`,
      type: a.type,
      value: a.value,
      threshold: a.threshold,
      weight: a.weight ?? 1,
    })),
  ];
  const scores = await evaluateItem(
    specs,
    {
      output,
      toolCalls: (result.output.tool_calls ?? []).map((c) => ({ name: c.function.name, arguments: c.function.arguments })),
      expected: item.expectedOutput,
      context: item.context,
      question: itemInputText(item.input),
      latencyMs: result.latencyMs,
      cost,
    },
    judge,
    input.judge,
  );
  return {
    inferenceId: result.inferenceId,
    variantName: result.variantName,
    promptVersion: result.promptVersion,
    output,
    latencyMs: result.latencyMs,
    cost,
    scores,
    passed: itemPassed(specs, scores),
    functionName: result.functionName,
  };
}
