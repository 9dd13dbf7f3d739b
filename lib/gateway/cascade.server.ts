import "server-only";
import { clip } from "@/lib/http/clip";
import type { JudgeRunner } from "@/lib/evaluations/evaluate";
import type { AttemptContext, AttemptOutcome, StartedStream } from "./attempts.server";
import { CASCADE_REASON_TAG, CASCADE_TAG, checkAnswer, type CascadeConfig } from "./cascade";
import { contentText, type ChatRequest } from "./chat";
import type { GatewayConfig } from "./config";
import type { Gateway } from "./gateway.server";
import type { Plan } from "./plan.server";
import type { CompleteResult } from "./providers/types";

/**
 * The cascade's steps on the inference path (the checks are in cascade.ts). Each step goes through
 * the gateway's usual attempts (providers, retries), so every step is a model call in the log.
 * When an escalation fails outright, the answer already in hand is kept (tagged as such).
 */

export type WonAttempt = { value: Extract<AttemptOutcome<CompleteResult>, { ok: true }>; attempt: AttemptContext };
export type WonStream = { value: StartedStream; attempt: AttemptContext };

/** The plan's cascade variants; asks for logprobs where a cascade checks them (OpenAI-type providers return them). */
export function cascadesOf(config: GatewayConfig, plan: Plan): Map<string, CascadeConfig> {
  const found = new Map<string, CascadeConfig>();
  const fn = config.functions[plan.functionName];
  if (!fn) return found;
  for (const candidate of plan.candidates) {
    const cascade = fn.variants[candidate.variantName]?.cascade;
    if (!cascade) continue;
    found.set(candidate.variantName, cascade);
    if (cascade.min_mean_logprob !== undefined && candidate.request)
      candidate.request = { ...candidate.request, logprobs: true } as ChatRequest & { logprobs: boolean };
  }
  return found;
}

/** The text a judge sees as the question: the variables, else the last user message. */
function questionOf(plan: Plan): string {
  if (plan.input.variables) return JSON.stringify(plan.input.variables);
  const last = [...(plan.input.messages ?? [])].reverse().find((m) => m.role === "user");
  return last ? contentText(last.content) : "";
}

export async function escalate(args: {
  gateway: Gateway;
  plan: Plan;
  ctx: { signal: AbortSignal };
  cascade: CascadeConfig;
  first: WonAttempt;
  tryModel: (plan: Plan) => Promise<WonAttempt | undefined>;
  /** For a stream: the last model's answer (never checked) is streamed live instead of buffered. */
  streamModel?: (plan: Plan) => Promise<WonStream | undefined>;
}): Promise<{ won: WonAttempt; streamed?: WonStream }> {
  const { gateway, plan, cascade, first } = args;
  const fn = gateway.config.functions[plan.functionName]!;
  const evaluator = cascade.evaluator ? { name: cascade.evaluator, ...fn.evaluators[cascade.evaluator]! } : undefined;
  const judge: JudgeRunner = async (call) => {
    const result = await gateway.infer(
      {
        ...("function" in call.target ? { functionName: call.target.function } : { modelName: call.target.model }),
        variables: call.variables,
        messages: call.messages,
        tags: { "llmops.cascade_judge": plan.inferenceId },
      },
      { signal: args.ctx.signal },
    );
    return { content: result.output.content ?? "", inferenceId: result.inferenceId };
  };
  const candidate = plan.candidates.find((c) => c.variantName === first.attempt.variantName)!;
  let current = first;
  let step = 0;
  let reason = "";
  let streamed: WonStream | undefined;
  for (const [i, model] of cascade.models.entries()) {
    const { raw, usage: _usage, ...output } = current.value.value;
    const verdict = await checkAnswer(cascade, output, raw, {
      evaluator,
      judge,
      question: questionOf(plan),
      latencyMs: current.value.row.latency_ms,
      cost: current.value.row.cost,
    });
    if (verdict.pass) break;
    reason = verdict.reason;
    const stepPlan = { ...plan, candidates: [{ ...candidate, modelName: model }] };
    const next = args.streamModel && i === cascade.models.length - 1 ? await args.streamModel(stepPlan) : await args.tryModel(stepPlan);
    if (!next) {
      reason += ` (escalation to ${model} failed: the answer of step ${step} is kept)`;
      break;
    }
    step += 1;
    if ("first" in next.value) streamed = next as WonStream;
    else current = next as WonAttempt;
  }
  plan.input = {
    ...plan.input,
    tags: { ...plan.input.tags, [CASCADE_TAG]: String(step), ...(reason ? { [CASCADE_REASON_TAG]: clip(reason, 300) } : {}) },
  };
  return { won: current, ...(streamed ? { streamed } : {}) };
}
