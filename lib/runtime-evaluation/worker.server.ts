import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import type { Db } from "@/db/client.server";
import { groupInsert } from "@/lib/clickhouse/group-insert.server";
import { itemInputText } from "@/lib/datasets/display";
import { deleteFeedback } from "@/lib/inference/store.server";
import { evaluateItem, type JudgeRunner } from "@/lib/evaluations/evaluate";
import { evaluatorSpec, type EvaluatorSpec } from "@/lib/evaluations/evaluator-spec";
import { EVALUATOR_TAG } from "@/lib/evaluations/mlflow.server";
import { costOf } from "@/lib/gateway/attempts.server";
import type { Gateway } from "@/lib/gateway/gateway.server";
import { uuidAt } from "@/lib/gateway/ids";
import { toClickHouseTime, type FeedbackRow } from "@/lib/inference/tables";
import { claimJobs, completeJob, failJob, releaseJobs, renewJobLeases, retryJob, type ClaimedJob } from "./jobs.server";
import { loadInferences, type LoggedInference } from "./log.server";
import { RUNTIME_TAGS } from "./tags";

/** An inference not yet in the log is looked for again this often, up to this many times. */
const RETRY_MISSING_MS = 2000;
const MAX_ATTEMPTS = 8;

export interface RuntimeWorkerOptions {
  owner?: string;
  maxInFlight?: number;
  leaseMs?: number;
  pollMs?: number;
  log?: (message: string) => void;
}

/**
 * A worker in every app process: claims runtime jobs, reads their inferences from ClickHouse, runs
 * the function's evaluators (judges through the gateway, recorded like any inference) and writes the
 * scores as feedback (source `evaluator`). It shares nothing with other processes but Postgres.
 */
export class RuntimeEvaluationWorker {
  readonly owner: string;
  private readonly inFlight = new Map<number, ClaimedJob>();
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  completed = 0;

  constructor(
    private readonly ctx: { db: Db; clickhouse: ClickHouseClient },
    private readonly gateway: () => Promise<Gateway>,
    private readonly options: RuntimeWorkerOptions = {},
  ) {
    this.owner = options.owner ?? randomUUID();
    setMaxListeners(0, this.abort.signal);
  }

  private get leaseMs() {
    return this.options.leaseMs ?? 120_000;
  }

  start(): void {
    this.schedule(0);
    this.renewTimer = setInterval(
      () => void renewJobLeases(this.ctx.db, [...this.inFlight.keys()], this.owner, this.leaseMs).catch(() => undefined),
      this.leaseMs / 3,
    );
    this.renewTimer.unref?.();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.ticking) return;
      this.ticking = this.tick()
        .then((started) => (started > 0 ? 0 : (this.options.pollMs ?? 1000)))
        .catch((error: unknown) => {
          this.options.log?.(`runtime evaluation worker: ${String(error)}`);
          return this.options.pollMs ?? 1000;
        })
        .then((next) => {
          this.ticking = undefined;
          this.schedule(next);
        });
    }, ms);
    this.timer.unref?.();
  }

  /** One pass: claim what fits, read the inferences in one query, and start each job. */
  async tick(): Promise<number> {
    const room = (this.options.maxInFlight ?? 16) - this.inFlight.size;
    if (room <= 0 || this.stopped) return 0;
    const jobs = await claimJobs(this.ctx.db, { owner: this.owner, want: room, leaseMs: this.leaseMs });
    if (!jobs.length) return 0;
    for (const job of jobs) this.inFlight.set(job.id, job);
    const found = await loadInferences(this.ctx.clickhouse, jobs).catch((error: unknown) => {
      this.options.log?.(`runtime evaluation: reading inferences failed (${String(error)})`);
      return new Map<string, LoggedInference>();
    });
    for (const job of jobs) void this.process(job, found.get(job.inferenceId));
    return jobs.length;
  }

  private async process(job: ClaimedJob, inference: LoggedInference | undefined): Promise<void> {
    try {
      if (!inference) {
        // Still in some server's recorder buffer (or never written: recording off, store = "none").
        if (job.attempts < MAX_ATTEMPTS) await retryJob(this.ctx.db, job, RETRY_MISSING_MS);
        else await failJob(this.ctx.db, job, "the inference is not in the log (recording off, or bodies not stored)");
        return;
      }
      const gateway = await this.gateway();
      const fn = gateway.config.functions[job.functionName];
      const runtime = fn?.runtime_evaluation;
      if (!fn || !runtime) {
        await failJob(this.ctx.db, job, `function "${job.functionName}" has no runtime evaluation any more`);
        return;
      }
      const names = runtime.evaluators ?? Object.keys(fn.evaluators);
      const specs: EvaluatorSpec[] = names.map((name) => evaluatorSpec.parse({ name, ...fn.evaluators[name] }));
      const judged = { calls: 0, cost: 0, versions: new Map<string, string>(), costs: new Map<string, number>() };
      const judge: JudgeRunner = async (call) => {
        const result = await gateway.infer(
          {
            ...("function" in call.target
              ? { functionName: call.target.function, variables: call.variables }
              : { modelName: call.target.model, messages: call.messages }),
            tags: { "llmops.evaluation_run": "runtime", [EVALUATOR_TAG]: call.evaluator, [RUNTIME_TAGS.judged]: inference.id },
            cache: { enabled: false },
          },
          { signal: this.abort.signal },
        );
        const model = gateway.config.models[result.modelName];
        const cost = model && !result.cached ? costOf(model, result.usage) : 0;
        judged.calls++;
        judged.cost += cost;
        judged.costs.set(call.evaluator, (judged.costs.get(call.evaluator) ?? 0) + cost);
        judged.versions.set(call.evaluator, judgeVersion(result));
        return { content: result.output.content ?? "", inferenceId: result.inferenceId };
      };
      const scores = await evaluateItem(specs, subjectOf(inference), judge, runtime.judge);
      const now = Date.now();
      const errors: string[] = [];
      const feedback: FeedbackRow[] = [];
      for (const [name, score] of Object.entries(scores)) {
        // A broken evaluator (judge down, bad answer) is the job's error, not a score of 0.
        if (score.error !== undefined) {
          errors.push(`${name}: ${score.error}`);
          continue;
        }
        const tags: Record<string, string> = { "llmops.source": "evaluator", [EVALUATOR_TAG]: name, [RUNTIME_TAGS.job]: String(job.id) };
        if (score.judgeInferenceId) {
          tags[RUNTIME_TAGS.judgeInference] = score.judgeInferenceId;
          tags[RUNTIME_TAGS.judgeVersion] = judged.versions.get(name) ?? "";
          tags[RUNTIME_TAGS.judgeCost] = String(judged.costs.get(name) ?? 0);
        }
        feedback.push({
          id: uuidAt(now + feedback.length),
          target_type: "inference",
          target_id: inference.id,
          function_name: inference.function_name,
          variant_name: inference.variant_name,
          metric_name: name,
          kind: "float",
          value: score.score,
          text: score.reason ?? "",
          tags,
          timestamp: toClickHouseTime(new Date(now)),
        });
      }
      if (feedback.length) await groupInsert(this.ctx.clickhouse, "feedback", feedback);
      const won = await completeJob(this.ctx.db, job, {
        scores: feedback.length,
        judgeCalls: judged.calls,
        judgeCost: judged.cost,
        error: errors.length ? errors.join("; ").slice(0, 2000) : null,
      });
      if (won) this.completed++;
      else
        await deleteFeedback(
          this.ctx.clickhouse,
          feedback.map((f) => f.id),
        );
    } catch (error) {
      if (this.stopped && this.abort.signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      if (job.attempts < 3) await retryJob(this.ctx.db, job, 5000).catch(() => undefined);
      else await failJob(this.ctx.db, job, message).catch(() => undefined);
    } finally {
      this.inFlight.delete(job.id);
      if (!this.stopped) this.schedule(5);
    }
  }

  /** Stops claiming; waits for jobs in flight up to `graceMs`, then gives back the rest. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.renewTimer);
    await this.ticking;
    const until = Date.now() + graceMs;
    while (this.inFlight.size && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const left = [...this.inFlight.keys()];
    this.abort.abort();
    await releaseJobs(this.ctx.db, left, this.owner);
  }

  get busy(): number {
    return this.inFlight.size;
  }
}

/** Which judge answered: a function's variant and prompt version, or a model with a built-in template. */
export function judgeVersion(result: { functionName: string; variantName: string; promptVersion: string; modelName: string }): string {
  if (result.functionName === "llmops::model") return `model:${result.modelName}`;
  return `${result.functionName}/${result.variantName}${result.promptVersion ? `@${result.promptVersion}` : ""}`;
}

function subjectOf(inference: LoggedInference) {
  let output: string;
  let toolCalls: { name: string; arguments: string }[] = [];
  let context: string | null = null;
  try {
    const parsed = JSON.parse(inference.output) as {
      content?: string | null;
      tool_calls?: { function: { name: string; arguments: string } }[];
    };
    output = parsed.content ?? "";
    toolCalls = (parsed.tool_calls ?? []).map((c) => ({ name: c.function.name, arguments: c.function.arguments }));
  } catch {
    output = inference.output;
  }
  try {
    const input = JSON.parse(inference.input) as { variables?: Record<string, unknown> };
    const given = input.variables?.context;
    if (typeof given === "string") context = given;
    else if (given !== undefined) context = JSON.stringify(given);
  } catch {
    // an unreadable input has no context
  }
  return {
    output,
    toolCalls,
    expected: null,
    context,
    question: itemInputText(inference.input),
    latencyMs: inference.latency_ms,
    cost: inference.cost,
  };
}
