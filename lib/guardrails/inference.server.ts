import "server-only";
import type { ChatMessage, ChatOutput } from "@/lib/gateway/chat";
import type { GatewayConfig } from "@/lib/gateway/config";
import type { Plan } from "@/lib/gateway/plan.server";
import { PiiPolicy } from "@/lib/pii/policy";
import { GuardrailIndex, redactPiece, runStage, type RunContext, type StageResult } from "./guard.server";
import { checkOutput } from "./output.server";
import type { RemoteDeps } from "./remote.server";
import { ChoiceGuards, StreamGuard } from "./stream.server";

/**
 * The gateway's side of guardrails: input checks before the cache and the upstream (a redaction
 * rewrites the rendered requests and what is logged as the input), output checks before the answer
 * is returned or recorded. Verdicts accumulate on the plan and are recorded with the inference.
 */
export class InferenceGuards {
  private constructor(private readonly index: GuardrailIndex) {}

  /** Undefined when no function or model lists a guardrail: the request path then skips all of this. */
  static of(config: GatewayConfig): InferenceGuards | undefined {
    const index = new GuardrailIndex(config, new PiiPolicy(config).options);
    return index.empty ? undefined : new InferenceGuards(index);
  }

  /**
   * Checks the client's messages and variables; throws GuardrailBlocked (verdicts are on the plan).
   * Synchronous (no promise) when every check is local; `remote` is only called for a judge or HTTP check.
   */
  input(plan: Plan, remote: () => RemoteDeps): void | Promise<void> {
    const list = this.index.select(plan.functionName, modelsOf(plan), "input");
    if (!list.length) return;
    const text = inputText(plan);
    const result = runStage(list, "input", text, () => ctxOf(plan, plan.candidates[0]?.modelName ?? "", remote()));
    return result instanceof Promise ? result.then((r) => applyInput(plan, text, r)) : applyInput(plan, text, result);
  }

  /**
   * Checks an answer's text (each choice's, with `n` > 1) and its tool calls' arguments; returns it as
   * the client gets it. Throws GuardrailBlocked. Synchronous when every check is local.
   */
  output(plan: Plan, modelName: string, output: ChatOutput, remote: () => RemoteDeps): ChatOutput | Promise<ChatOutput> {
    const list = this.index.select(plan.functionName, [modelName], "output");
    if (!list.length) return output;
    const ctx = () => ctxOf(plan, modelName, remote());
    return checkOutput(list, output, ctx, (verdicts) => (plan.guardrails ??= []).push(...verdicts));
  }

  /** A stream's output guards (one per choice), or undefined when nothing checks the output. */
  stream(plan: Plan, modelName: string, remote: () => RemoteDeps): ChoiceGuards | undefined {
    const list = this.index.select(plan.functionName, [modelName], "output");
    if (!list.length) return undefined;
    const ctx = () => ctxOf(plan, modelName, remote());
    return new ChoiceGuards(() => new StreamGuard(list, ctx));
  }
}

function modelsOf(plan: Plan): string[] {
  const out: string[] = [];
  for (const c of plan.candidates) if (!out.includes(c.modelName)) out.push(c.modelName);
  return out;
}

function applyInput(plan: Plan, text: string, result: StageResult): void {
  if (result.verdicts.length) (plan.guardrails ??= []).push(...result.verdicts);
  if (result.blocked) throw result.blocked;
  if (!result.redacted.length) return;
  // The same strings recur (the input as logged, each candidate's request): each is redacted once,
  // and a single-piece input is the text the checks already redacted.
  const done = new Map<string, string>([[text, result.text]]);
  const redact = (piece: string) => {
    let out = done.get(piece);
    if (out === undefined) done.set(piece, (out = redactPiece(result.redacted, piece)));
    return out;
  };
  plan.input = {
    ...plan.input,
    messages: plan.input.messages?.map((m) => redactMessage(m, redact)),
    variables: plan.input.variables && redactVariables(plan.input.variables, redact),
    instructions: plan.input.instructions && redact(plan.input.instructions),
  };
  for (const c of plan.candidates)
    if (c.request) c.request = { ...c.request, messages: c.request.messages.map((m) => redactMessage(m, redact)) };
}

const ctxOf = (plan: Plan, modelName: string, remote: RemoteDeps): RunContext => ({
  ...remote,
  inferenceId: plan.inferenceId,
  functionName: plan.functionName,
  modelName,
});

/** The text the client sent: its messages' text and its variables' string values, one piece a line. */
function inputText(plan: Plan): string {
  const out: string[] = [];
  for (const m of plan.input.messages ?? []) {
    if (typeof m.content === "string") out.push(m.content);
    else if (Array.isArray(m.content)) for (const p of m.content) if (p.type === "text") out.push(p.text);
  }
  if (plan.input.instructions) out.push(plan.input.instructions);
  for (const v of Object.values(plan.input.variables ?? {})) if (typeof v === "string") out.push(v);
  return out.length === 1 ? out[0]! : out.join("\n");
}

function redactMessage(m: ChatMessage, redact: (t: string) => string): ChatMessage {
  if (typeof m.content === "string") return { ...m, content: redact(m.content) } as ChatMessage;
  if (Array.isArray(m.content))
    return { ...m, content: m.content.map((p) => (p.type === "text" ? { ...p, text: redact(p.text) } : p)) } as ChatMessage;
  return m;
}

function redactVariables(vars: Record<string, unknown>, redact: (t: string) => string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === "string" ? redact(v) : v]));
}
