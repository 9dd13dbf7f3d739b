import "server-only";
import type { ChatOutput, ChoiceOutput, ToolCall } from "@/lib/gateway/chat";
import { redactPiece, runStage, type Guardrail, type Outcome, type RunContext, type StageResult, type Verdict } from "./guard.server";

/**
 * Output checks on a whole answer: each choice's text, then its tool calls' arguments. Arguments are
 * JSON for a program, so only the pattern checks (regex, deny list, PII) read them, on their string
 * values; a redaction rewrites those values and the arguments stay valid JSON. A length limit, a
 * JSON schema (it describes the answer text), a judge and an HTTP check see the text only.
 * One verdict per guardrail and choice: a finding in the arguments is added to the text's.
 */

const SEVERITY: Record<Outcome, number> = { pass: 0, flagged: 1, redacted: 2, error: 3, blocked: 4 };
const PATTERN_KINDS = new Set(["regex", "deny_list", "pii"]);

/** The pattern checks of a list (what reads tool-call arguments), kept per list. */
const patternLists = new WeakMap<Guardrail[], Guardrail[]>();
function patternsOf(list: Guardrail[]): Guardrail[] {
  let out = patternLists.get(list);
  if (!out) patternLists.set(list, (out = list.filter((g) => PATTERN_KINDS.has(g.config.kind))));
  return out;
}

/** The string values of a call's arguments (the raw text when they are not JSON), and how to put redacted ones back. */
function argumentPieces(call: ToolCall): { pieces: string[]; rebuild: (redact: (s: string) => string) => string } {
  let value: unknown;
  try {
    value = JSON.parse(call.function.arguments);
  } catch {
    return { pieces: [call.function.arguments], rebuild: (redact) => redact(call.function.arguments) };
  }
  const pieces: string[] = [];
  const walk = (v: unknown, map?: (s: string) => string): unknown => {
    if (typeof v === "string") {
      if (map) return map(v);
      pieces.push(v);
      return v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, map));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, map)]));
    return v;
  };
  walk(value);
  return { pieces, rebuild: (redact) => JSON.stringify(walk(value, redact)) };
}

/** A check of the text and of the arguments, as one verdict: the more severe outcome, both findings. */
function merge(text: Verdict, args: Verdict): Verdict {
  const detail = [text.detail, args.detail && `tool calls: ${args.detail}`].filter(Boolean).join("; ");
  const outcome = SEVERITY[args.outcome] > SEVERITY[text.outcome] ? args.outcome : text.outcome;
  return { ...text, outcome, detail, duration_ms: Math.round((text.duration_ms + args.duration_ms) * 1000) / 1000 };
}

/** Adds the arguments' verdicts to the text's (one per guardrail), in place. */
export function mergeVerdicts(verdicts: Verdict[], args: Verdict[]): void {
  for (const v of args) {
    const i = verdicts.findIndex((t) => t.name === v.name);
    if (i >= 0) verdicts[i] = merge(verdicts[i]!, v);
    else verdicts.push({ ...v, detail: v.detail && `tool calls: ${v.detail}` });
  }
}

/** True when some check of the list reads tool-call arguments. */
export const checksToolCalls = (list: Guardrail[]) => patternsOf(list).length > 0;

/** Checks one choice's tool-call arguments; their verdicts are merged into `verdicts` in place. Throws GuardrailBlocked. */
export function checkToolCalls(
  list: Guardrail[],
  choice: ChoiceOutput,
  verdicts: Verdict[],
  ctx: RunContext | (() => RunContext),
): ChoiceOutput {
  const patterns = patternsOf(list);
  if (!choice.tool_calls?.length || !patterns.length) return choice;
  const calls = choice.tool_calls.map(argumentPieces);
  const joined = calls.flatMap((c) => c.pieces).join("\n");
  const result = runStage(patterns, "output", joined, ctx) as StageResult; // pattern checks are local: synchronous
  mergeVerdicts(verdicts, result.verdicts);
  if (result.blocked) throw result.blocked;
  if (!result.redacted.length) return choice;
  const redact = (s: string) => redactPiece(result.redacted, s);
  return {
    ...choice,
    tool_calls: choice.tool_calls.map((call, i) => ({ ...call, function: { ...call.function, arguments: calls[i]!.rebuild(redact) } })),
  };
}

/** One choice: its text through the whole list, then its tool calls' arguments through the pattern checks. */
function checkChoice(
  list: Guardrail[],
  choice: ChoiceOutput,
  ctx: RunContext | (() => RunContext),
  record: (verdicts: Verdict[]) => void,
): ChoiceOutput | Promise<ChoiceOutput> {
  const done = (result: StageResult | undefined): ChoiceOutput => {
    const verdicts = result?.verdicts ?? [];
    // A block of the text stops there; the arguments are not checked.
    if (result?.blocked) {
      record(verdicts);
      throw result.blocked;
    }
    const text: ChoiceOutput = result && result.text !== choice.content ? { ...choice, content: result.text } : choice;
    try {
      return checkToolCalls(list, text, verdicts, ctx);
    } finally {
      if (verdicts.length) record(verdicts);
    }
  };
  if (choice.content == null) return done(undefined);
  const result = runStage(list, "output", choice.content, ctx);
  return result instanceof Promise ? result.then(done) : done(result);
}

/** The answer as the client gets it (the same object when nothing changed). Synchronous when every check is local. */
export function checkOutput(
  list: Guardrail[],
  output: ChatOutput,
  ctx: RunContext | (() => RunContext),
  record: (verdicts: Verdict[]) => void,
): ChatOutput | Promise<ChatOutput> {
  if (!output.choices) {
    const { choices: _c, partial: _p, ...own } = output;
    const checked = checkChoice(list, own, ctx, record);
    const back = (c: ChoiceOutput): ChatOutput =>
      c.content === output.content && c.tool_calls === output.tool_calls
        ? output
        : { ...output, content: c.content, ...(c.tool_calls ? { tool_calls: c.tool_calls } : {}) };
    return checked instanceof Promise ? checked.then(back) : back(checked);
  }
  const choices = output.choices;
  const finish = (checked: ChoiceOutput[]): ChatOutput => {
    const changed = checked.some((c, i) => c !== choices[i]);
    if (!changed) return output;
    const first = checked[0];
    return {
      ...output,
      content: first?.content ?? output.content,
      ...(first?.tool_calls ? { tool_calls: first.tool_calls } : {}),
      choices: checked,
    };
  };
  // Choices in order: a block stops at the first blocked one, as the text's checks do.
  const checked: ChoiceOutput[] = [];
  for (let i = 0; i < choices.length; i++) {
    const c = checkChoice(list, choices[i]!, ctx, record);
    if (c instanceof Promise)
      return (async () => {
        checked.push(await c);
        for (let j = i + 1; j < choices.length; j++) checked.push(await checkChoice(list, choices[j]!, ctx, record));
        return finish(checked);
      })();
    checked.push(c);
  }
  return finish(checked);
}
