import "server-only";
import { AppError } from "@/lib/http/errors";
import { clip } from "@/lib/http/clip";
import type { DetectOptions } from "@/lib/pii/detect";
import { compileLocal, flagged, type LocalCheck } from "./checks";
import type { GuardrailConfig } from "./config";
import { runRemote, type RemoteDeps } from "./remote.server";

/**
 * Guardrails on the inference path: which apply to an inference (its function's and its models'),
 * and one stage's run over a text. Local checks run first, in order (a `block` stops the run);
 * remote ones (judge, http) then run together on the text as redacted so far.
 */

export type Stage = "input" | "output";
export type Outcome = "pass" | "flagged" | "redacted" | "blocked" | "error";

/** One check of one inference, as recorded in `inferences.guardrails` (db/clickhouse/0008). */
export interface Verdict {
  name: string;
  kind: GuardrailConfig["kind"];
  stage: Stage;
  mode: GuardrailConfig["mode"];
  outcome: Outcome;
  /** What was found: counts by kind, a schema error, a judge's or service's reason; never the matched text. */
  detail: string;
  duration_ms: number;
}

export interface Guardrail {
  name: string;
  config: GuardrailConfig;
  local: LocalCheck | undefined;
}

export class GuardrailBlocked extends AppError {
  headers: Record<string, string> = {};
  constructor(
    readonly guardrail: string,
    readonly stage: Stage,
    detail: string,
  ) {
    super("guardrail_blocked", `guardrail "${guardrail}" blocked the ${stage}${detail ? `: ${detail}` : ""}`, { guardrail, stage });
  }
}

/** The guardrails of each function and model, compiled once per config; empty maps cost nothing per request. */
export class GuardrailIndex {
  private readonly byFunction = new Map<string, Guardrail[]>();
  private readonly byModel = new Map<string, Guardrail[]>();
  /** Selections made so far, by stage, function and models: the same few lists on every request. */
  private readonly selections = new Map<string, Guardrail[]>();
  readonly empty: boolean;

  constructor(
    config: {
      guardrails: Record<string, GuardrailConfig>;
      functions: Record<string, { guardrails?: string[] }>;
      models: Record<string, { guardrails?: string[] }>;
    },
    pii: DetectOptions,
  ) {
    const compiled = new Map<string, Guardrail>();
    for (const [name, g] of Object.entries(config.guardrails)) compiled.set(name, { name, config: g, local: compileLocal(g, pii) });
    const pick = (names: string[] | undefined) => (names ?? []).map((n) => compiled.get(n)).filter((g): g is Guardrail => !!g);
    for (const [name, f] of Object.entries(config.functions)) if (f.guardrails?.length) this.byFunction.set(name, pick(f.guardrails));
    for (const [name, m] of Object.entries(config.models)) if (m.guardrails?.length) this.byModel.set(name, pick(m.guardrails));
    this.empty = this.byFunction.size === 0 && this.byModel.size === 0;
  }

  /** A function's guardrails, then those of the models it may use (each once), for one stage. */
  select(functionName: string, modelNames: string[], stage: Stage): Guardrail[] {
    if (this.empty) return NONE;
    const key = `${stage}\u0000${functionName}\u0000${modelNames.join("\u0000")}`;
    let out = this.selections.get(key);
    if (!out) {
      // Bounded: names come from the config, but a burst of unknown ones must not grow it forever.
      if (this.selections.size >= 1_000) this.selections.clear();
      this.selections.set(key, (out = this.pick(functionName, modelNames, stage)));
    }
    return out;
  }

  private pick(functionName: string, modelNames: string[], stage: Stage): Guardrail[] {
    const out: Guardrail[] = [];
    const add = (list: Guardrail[] | undefined) => {
      for (const g of list ?? []) if (appliesTo(g, stage) && !out.includes(g)) out.push(g);
    };
    add(this.byFunction.get(functionName));
    for (const m of modelNames) add(this.byModel.get(m));
    return out;
  }
}

const NONE: Guardrail[] = [];
const appliesTo = (g: Guardrail, stage: Stage) => g.config.stage === "both" || g.config.stage === stage;

export interface StageResult {
  text: string;
  verdicts: Verdict[];
  blocked?: GuardrailBlocked;
  /** The checks that redacted, in order: what a redaction applies piece by piece (each message of an input). */
  redacted: LocalCheck[];
}

export interface RunContext extends RemoteDeps {
  inferenceId: string;
  functionName: string;
  modelName: string;
}

const now = () => performance.now();
const ms = (start: number) => Math.round((now() - start) * 1000) / 1000;

/** A piece of text as the checks that redacted the whole would redact it. */
export function redactPiece(checks: LocalCheck[], piece: string): string {
  for (const check of checks) {
    const f = check.find(piece);
    if (flagged(f)) piece = check.redact(piece, f);
  }
  return piece;
}

/**
 * Runs a stage's guardrails over a text. When every check is local (regex, deny list, PII, length,
 * schema) it runs and returns synchronously: no promise, no context built, nothing awaited per request.
 * `ctx` is only called when a remote check (judge, http) runs.
 */
export function runStage(
  list: Guardrail[],
  stage: Stage,
  text: string,
  ctx: RunContext | (() => RunContext),
): StageResult | Promise<StageResult> {
  const result: StageResult = { text, verdicts: [], redacted: [] };
  let remote: Guardrail[] | undefined;
  for (const g of list) {
    const check = g.local;
    if (!check) {
      (remote ??= []).push(g);
      continue;
    }
    const started = now();
    const finding = check.find(result.text);
    const hit = flagged(finding);
    const mode = g.config.mode;
    let outcome: Outcome = "pass";
    if (hit && mode === "block") {
      result.verdicts.push(verdict(g, stage, "blocked", finding.detail, ms(started)));
      result.blocked = new GuardrailBlocked(g.name, stage, finding.detail);
      return result;
    }
    if (hit && mode === "redact") {
      result.text = check.redact(result.text, finding);
      result.redacted.push(check);
      outcome = "redacted";
    } else if (hit) outcome = "flagged";
    result.verdicts.push(verdict(g, stage, outcome, hit ? finding.detail : "", ms(started)));
  }
  return remote ? runRemoteChecks(remote, stage, result, typeof ctx === "function" ? ctx() : ctx) : result;
}

/**
 * Judges and HTTP checks, together, on the text as redacted so far; then the HTTP checks that
 * redact, one after the other (each rewrites the text the next one sees).
 */
async function runRemoteChecks(remote: Guardrail[], stage: Stage, result: StageResult, ctx: RunContext): Promise<StageResult> {
  const ask = async (g: Guardrail) => {
    const started = now();
    const answer = await runRemote(g, stage, result.text, ctx);
    return { g, answer, duration: ms(started) };
  };
  const answers = await Promise.all(remote.filter((g) => g.config.mode !== "redact").map(ask));
  for (const g of remote) if (g.config.mode === "redact" && !result.blocked) answers.push(await ask(g));
  for (const { g, answer, duration } of answers) {
    const onError = "on_error" in g.config ? g.config.on_error : "allow";
    const blocks = (answer.flagged && g.config.mode === "block") || (answer.error && onError === "block" && g.config.mode !== "monitor");
    let outcome: Outcome = blocks ? "blocked" : answer.error ? "error" : answer.flagged ? "flagged" : "pass";
    if (!blocks && answer.text !== undefined) {
      result.text = answer.text;
      outcome = "redacted";
    }
    if (blocks) result.blocked ??= new GuardrailBlocked(g.name, stage, clip(answer.detail, 200));
    result.verdicts.push(verdict(g, stage, outcome, clip(answer.detail, 300), duration));
  }
  return result;
}

function verdict(g: Guardrail, stage: Stage, outcome: Outcome, detail: string, duration_ms: number): Verdict {
  return { name: g.name, kind: g.config.kind, stage, mode: g.config.mode, outcome, detail, duration_ms };
}
