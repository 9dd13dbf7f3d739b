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
    if (this.empty) return [];
    const out: Guardrail[] = [];
    const add = (list: Guardrail[] | undefined) => {
      for (const g of list ?? []) if (appliesTo(g, stage) && !out.includes(g)) out.push(g);
    };
    add(this.byFunction.get(functionName));
    for (const m of modelNames) add(this.byModel.get(m));
    return out;
  }
}

const appliesTo = (g: Guardrail, stage: Stage) => g.config.stage === "both" || g.config.stage === stage;

export interface StageResult {
  text: string;
  verdicts: Verdict[];
  blocked?: GuardrailBlocked;
  /** Redactions to apply piece by piece (each message of an input), in order. */
  redactors: ((piece: string) => string)[];
}

export interface RunContext extends RemoteDeps {
  inferenceId: string;
  functionName: string;
  modelName: string;
}

const now = () => performance.now();
const ms = (start: number) => Math.round((now() - start) * 1000) / 1000;

/** Runs a stage's guardrails over a text. */
export async function runStage(list: Guardrail[], stage: Stage, text: string, ctx: RunContext): Promise<StageResult> {
  const result: StageResult = { text, verdicts: [], redactors: [] };
  const remote: Guardrail[] = [];
  for (const g of list) {
    if (!g.local) {
      remote.push(g);
      continue;
    }
    const started = now();
    const check = g.local;
    const finding = check.find(result.text);
    const hit = flagged(finding);
    const verdict = base(g, stage, hit ? finding.detail : "", started);
    if (hit && g.config.mode === "block") {
      result.verdicts.push({ ...verdict, outcome: "blocked" });
      result.blocked = new GuardrailBlocked(g.name, stage, finding.detail);
      return result;
    }
    if (hit && g.config.mode === "redact") {
      result.text = check.redact(result.text, finding);
      result.redactors.push((piece) => {
        const f = check.find(piece);
        return flagged(f) ? check.redact(piece, f) : piece;
      });
      verdict.outcome = "redacted";
    } else if (hit) verdict.outcome = "flagged";
    verdict.duration_ms = ms(started);
    result.verdicts.push(verdict);
  }
  if (!remote.length) return result;
  const answers = await Promise.all(
    remote.map(async (g) => {
      const started = now();
      const answer = await runRemote(g, stage, result.text, ctx);
      return { g, answer, started, duration: ms(started) };
    }),
  );
  for (const { g, answer, started, duration } of answers) {
    const verdict: Verdict = { ...base(g, stage, clip(answer.detail, 300), started), duration_ms: duration };
    const onError = "on_error" in g.config ? g.config.on_error : "allow";
    const blocks = g.config.mode === "block" && (answer.flagged || (answer.error && onError === "block"));
    verdict.outcome = answer.error ? "error" : answer.flagged ? "flagged" : "pass";
    if (blocks) {
      verdict.outcome = "blocked";
      result.blocked ??= new GuardrailBlocked(g.name, stage, clip(answer.detail, 200));
    }
    result.verdicts.push(verdict);
  }
  return result;
}

function base(g: Guardrail, stage: Stage, detail: string, started: number): Verdict {
  return { name: g.name, kind: g.config.kind, stage, mode: g.config.mode, outcome: "pass", detail, duration_ms: ms(started) };
}
