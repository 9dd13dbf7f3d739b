import "server-only";
import type { ChatDelta, ChatOutput, ToolCall } from "@/lib/gateway/chat";
import { flagged } from "./checks";
import { GuardrailBlocked, runStage, type Guardrail, type RunContext, type Verdict } from "./guard.server";
import { checksToolCalls, checkToolCalls, mergeVerdicts } from "./output.server";

/**
 * Output guardrails on a stream. Pattern checks (regex, deny list, PII) in `block`/`redact` mode
 * run on the text not yet released, and the last `STREAM_WINDOW` characters are held back (plus a
 * match straddling that point), so a match up to that long is caught whole before a character of it is sent. `max_length` counts as text
 * arrives. Checks that need the whole answer (JSON schema, judge, http) in `block` mode hold all
 * of it until the end; `monitor` checks run once on the full text at the end and hold nothing.
 */
export const STREAM_WINDOW = 128;

export class StreamGuard {
  private readonly incremental: Guardrail[];
  private readonly atEnd: Guardrail[];
  private readonly holdAll: boolean;
  private raw = "";
  private pending = "";
  private released = "";
  private cutOff = false;
  /** Set once `finish` ran (at the finish reason, or when the upstream ended without one). */
  finished = false;
  private readonly spent = new Map<string, number>();

  constructor(
    private readonly list: Guardrail[],
    private readonly ctx: RunContext | (() => RunContext),
  ) {
    this.incremental = list.filter((g) => g.config.mode !== "monitor" && g.local && (g.local.spanned || g.config.kind === "max_length"));
    this.atEnd = list.filter((g) => !this.incremental.includes(g));
    // A whole-text check that blocks, or an HTTP check that rewrites the answer, holds all of it.
    this.holdAll = this.atEnd.some((g) => g.config.mode === "block" || g.config.mode === "redact");
    this.checksTools = checksToolCalls(list);
    this.holdTools = this.checksTools && list.some((g) => g.config.mode !== "monitor" && g.local?.spanned);
  }

  /** Tool calls: pattern checks read their arguments; in block/redact mode the calls are held until the choice ends. */
  private readonly checksTools: boolean;
  readonly holdTools: boolean;
  private readonly calls = new Map<number, ToolCall>();
  private toolVerdicts: Verdict[] = [];
  private checkedCalls: ToolCall[] | undefined;

  /** Takes a tool-call delta's parts (accumulated like the log's accumulator). */
  pushTools(parts: NonNullable<ChatDelta["tool_calls"]>): void {
    if (!this.checksTools) return;
    for (const part of parts) {
      const call = this.calls.get(part.index) ?? { id: "", type: "function" as const, function: { name: "", arguments: "" } };
      if (part.id) call.id = part.id;
      if (part.function?.name) call.function.name += part.function.name;
      if (part.function?.arguments) call.function.arguments += part.function.arguments;
      this.calls.set(part.index, call);
    }
  }

  /** Checks the whole tool calls once the choice ends; returns them (redacted) as one delta's parts when they were held. Throws GuardrailBlocked. */
  finishTools(): ChatDelta["tool_calls"] {
    if (!this.calls.size || this.checkedCalls) return undefined;
    const indexes = [...this.calls.keys()].sort((a, b) => a - b);
    const calls = indexes.map((i) => this.calls.get(i)!);
    const checked = checkToolCalls(
      this.list,
      { content: null, tool_calls: calls, finish_reason: "tool_calls" },
      this.toolVerdicts,
      this.ctx,
    );
    this.checkedCalls = checked.tool_calls ?? calls;
    if (!this.holdTools) return undefined;
    return this.checkedCalls.map((c, i) => ({ index: indexes[i]!, id: c.id, type: "function" as const, function: { ...c.function } }));
  }

  /** The tool calls as the client got them (redacted), or undefined when none were checked. */
  get toolCalls(): ToolCall[] | undefined {
    return this.checkedCalls;
  }

  /** The text released to the client so far (redacted where a guardrail redacts). */
  get text(): string {
    return this.released;
  }

  /** Takes a piece of the answer; returns what may be sent now. Throws GuardrailBlocked. */
  push(content: string): string {
    if (this.cutOff || !content) return "";
    this.raw += content;
    this.pending += content;
    for (const g of this.incremental) {
      if (g.config.kind !== "max_length" || this.raw.length <= g.config.max_chars) continue;
      if (g.config.mode === "block") throw this.block(g, `${this.raw.length} chars > ${g.config.max_chars}`);
      this.pending = this.pending.slice(0, Math.max(0, this.pending.length - (this.raw.length - g.config.max_chars)));
      this.cutOff = true;
    }
    // Only pattern checks need the window; a length limit alone releases at once.
    const window = this.cutOff || !this.incremental.some((g) => g.local?.spanned) ? 0 : STREAM_WINDOW;
    let cut = this.pending.length - window;
    for (const g of this.incremental) {
      if (!g.local?.spanned) continue;
      const started = performance.now();
      const finding = g.local.find(this.pending);
      this.spend(g, started);
      if (!flagged(finding)) continue;
      if (g.config.mode === "block") throw this.block(g, finding.detail);
      for (const s of finding.spans) if (s.start < cut && s.end > cut) cut = s.start;
    }
    return cut > 0 ? this.release(cut) : "";
  }

  private endVerdicts: Verdict[] = [];
  private blocked: { name: string; detail: string } | undefined;

  /** One verdict per guardrail, over the whole text received. */
  verdicts(): Verdict[] {
    const out: Verdict[] = [];
    for (const g of this.incremental) {
      const started = performance.now();
      const finding = g.local!.find(this.raw);
      const hit = this.blocked?.name === g.name || flagged(finding);
      const outcome = this.blocked?.name === g.name ? "blocked" : hit ? (g.config.mode === "redact" ? "redacted" : "blocked") : "pass";
      out.push({
        name: g.name,
        kind: g.config.kind,
        stage: "output",
        mode: g.config.mode,
        outcome,
        detail: this.blocked?.name === g.name ? this.blocked.detail : hit ? finding.detail : "",
        duration_ms: Math.round(((this.spent.get(g.name) ?? 0) + performance.now() - started) * 1000) / 1000,
      });
      if (this.blocked?.name === g.name) break;
    }
    const all = [...out, ...this.endVerdicts];
    mergeVerdicts(all, this.toolVerdicts);
    return all;
  }

  private release(cut: number): string {
    let piece = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    for (const g of this.incremental) {
      if (g.config.mode !== "redact" || !g.local?.spanned) continue;
      const finding = g.local.find(piece);
      if (flagged(finding)) piece = g.local.redact(piece, finding);
    }
    if (this.holdAll) {
      this.held += piece;
      return "";
    }
    this.released += piece;
    return piece;
  }

  private held = "";

  /** The rest of the answer once the upstream is done, after the whole-text checks (what `holdAll` kept back). */
  async finish(): Promise<string> {
    this.finished = true;
    const rest = this.pending.length ? this.release(this.pending.length) : "";
    if (!this.holdAll) {
      if (this.atEnd.length) {
        const result = await runStage(this.atEnd, "output", this.released, this.ctx);
        this.endVerdicts = result.verdicts;
        if (result.blocked) throw result.blocked;
      }
      return rest;
    }
    const result = await runStage(this.atEnd, "output", this.held, this.ctx);
    this.endVerdicts = result.verdicts;
    if (result.blocked) throw result.blocked;
    this.released = result.text;
    return result.text;
  }

  private block(g: Guardrail, detail: string): GuardrailBlocked {
    this.blocked = { name: g.name, detail };
    return new GuardrailBlocked(g.name, "output", detail);
  }

  private spend(g: Guardrail, started: number): void {
    this.spent.set(g.name, (this.spent.get(g.name) ?? 0) + performance.now() - started);
  }
}

/** One StreamGuard per choice (`n` > 1 streams interleave them by `index`), created as choices appear. */
export class ChoiceGuards {
  private readonly byChoice = new Map<number, StreamGuard>();

  constructor(private readonly make: () => StreamGuard) {}

  private of(index: number): StreamGuard {
    let guard = this.byChoice.get(index);
    if (!guard) this.byChoice.set(index, (guard = this.make()));
    return guard;
  }

  /** A delta as the guards let it through: its text held back or redacted; undefined when nothing is left to send. */
  async pass(delta: ChatDelta): Promise<ChatDelta | undefined> {
    const guard = this.of(delta.index ?? 0);
    let content = delta.content ? guard.push(delta.content) : "";
    if (delta.tool_calls) guard.pushTools(delta.tool_calls);
    let tools = guard.holdTools ? undefined : delta.tool_calls;
    if (delta.finish_reason !== undefined) {
      content += await guard.finish();
      tools = guard.finishTools() ?? tools;
    }
    const { content: _c, tool_calls: _t, ...rest } = delta;
    const out: ChatDelta = { ...rest, ...(content ? { content } : {}), ...(tools ? { tool_calls: tools } : {}) };
    return Object.keys(out).length ? out : undefined;
  }

  /** The held-back text of choices whose stream ended without a finish reason, checked. */
  async finishAll(): Promise<ChatDelta[]> {
    const out: ChatDelta[] = [];
    for (const [index, guard] of this.byChoice) {
      if (guard.finished) continue;
      const content = await guard.finish();
      const tools = guard.finishTools();
      if (content || tools)
        out.push({ ...(index ? { index } : {}), ...(content ? { content } : {}), ...(tools ? { tool_calls: tools } : {}) });
    }
    return out;
  }

  verdicts(): Verdict[] {
    return [...this.byChoice.values()].flatMap((g) => g.verdicts());
  }

  /** The answer as the client got it: each choice's text as released. */
  apply(output: ChatOutput): ChatOutput {
    const text = (i: number, content: string | null) => (content != null && this.byChoice.has(i) ? this.byChoice.get(i)!.text : content);
    const tools = (i: number) => {
      const calls = this.byChoice.get(i)?.toolCalls;
      return calls ? { tool_calls: calls } : {};
    };
    return {
      ...output,
      content: text(0, output.content),
      ...tools(0),
      ...(output.choices ? { choices: output.choices.map((c, i) => ({ ...c, content: text(i, c.content), ...tools(i) })) } : {}),
    };
  }
}
