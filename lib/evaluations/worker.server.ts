import "server-only";
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import type { StoredCandidate } from "@/db/schema/evaluations";
import { listItems, versionById } from "@/lib/datasets/store.server";
import type { DatasetItem } from "@/lib/datasets/schemas";
import type { Gateway } from "@/lib/gateway/gateway.server";
import { uuidAt } from "@/lib/gateway/ids";
import { AppError } from "@/lib/http/errors";
import { groupInsert } from "@/lib/clickhouse/group-insert.server";
import { toClickHouseTime, type FeedbackRow } from "@/lib/inference/tables";
import { PiiPolicy } from "@/lib/pii/policy";
import { configWithCandidates } from "./candidates.server";
import {
  activeRuns,
  claimUnits,
  completeUnit,
  failUnit,
  markFinishedIfDone,
  releaseUnits,
  renewLeases,
  type ClaimedUnit,
} from "./claims.server";
import type { EvaluatorSpec, JudgeTarget } from "./evaluator-spec";
import { deleteFeedback } from "@/lib/inference/store.server";
import { executeUnit, runTags } from "./execute.server";
import { EVALUATOR_TAG, finishMlflowRuns } from "./mlflow.server";
import { getRunRow, loadScoredItems, splitEvaluators, type EvaluationsContext } from "./runs.server";
import { summariseRun } from "./summary";

/**
 * A worker in every app process: it claims units of any active run (claims.server.ts), runs them
 * through the gateway and the evaluators, and writes the results. Nothing here is shared state:
 * the per-run cache holds only a run's immutable definition, so any number of processes can work
 * on the same run. Stopping finishes the units in flight (up to a deadline) and gives back the rest.
 */

interface RunPlan {
  functionName: string;
  candidates: Map<string, StoredCandidate>;
  items: Map<number, DatasetItem>;
  specs: EvaluatorSpec[];
  judge?: JudgeTarget;
  gateway: Gateway;
}

export interface WorkerOptions {
  owner?: string;
  /** Units in flight in this process, across runs. */
  maxInFlight?: number;
  leaseMs?: number;
  pollMs?: number;
  log?: (message: string) => void;
}

const retryable = (error: unknown) =>
  !(error instanceof AppError) || ["rate_limited", "bad_gateway", "gateway_timeout", "unavailable"].includes(error.code);

export class EvaluationWorker {
  readonly owner: string;
  private readonly inFlight = new Map<number, ClaimedUnit>();
  private readonly plans = new Map<string, Promise<RunPlan>>();
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  private again = false;
  /** Units this worker finished (its claim held to the end). */
  completed = 0;
  private idle = new Set<() => void>();

  constructor(
    private readonly ctx: EvaluationsContext,
    private readonly gateway: () => Promise<Gateway>,
    private readonly options: WorkerOptions = {},
  ) {
    this.owner = options.owner ?? randomUUID();
    // Every unit in flight (and its judge calls) listens to this one signal.
    setMaxListeners(0, this.abort.signal);
  }

  private get maxInFlight() {
    return this.options.maxInFlight ?? 64;
  }
  private get leaseMs() {
    return this.options.leaseMs ?? 120_000;
  }

  start(): void {
    this.schedule(0);
    this.renewTimer = setInterval(
      () => void renewLeases(this.ctx.db, [...this.inFlight.keys()], this.owner, this.leaseMs).catch(() => undefined),
      this.leaseMs / 3,
    );
    this.renewTimer.unref?.();
  }

  /** Looks for work now (after a run is created) instead of at the next poll. */
  kick(): void {
    if (!this.stopped) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.ticking) {
        this.again = true; // claim again as soon as the tick in progress ends
        return;
      }
      this.ticking = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.options.log?.(`evaluation worker: ${String(error)}`))
        .finally(() => {
          this.ticking = undefined;
          const again = this.again;
          this.again = false;
          this.schedule(again ? 0 : this.inFlight.size > 0 ? (this.options.pollMs ?? 250) : (this.options.pollMs ?? 1000));
        });
    }, ms);
    this.timer.unref?.();
  }

  /** One pass: claim what fits for each active run and start it. */
  async tick(): Promise<number> {
    let started = 0;
    for (const run of await activeRuns(this.ctx.db)) {
      const room = this.maxInFlight - this.inFlight.size;
      if (room <= 0 || this.stopped) break;
      const units = await claimUnits(this.ctx.db, { runId: run.id, owner: this.owner, want: room, leaseMs: this.leaseMs });
      for (const unit of units) {
        this.inFlight.set(unit.id, unit);
        void this.process(unit);
        started++;
      }
      if (!units.length) await this.finishIfDone(run.id);
    }
    return started;
  }

  private plan(runId: string): Promise<RunPlan> {
    let found = this.plans.get(runId);
    if (!found) {
      found = (async () => {
        const row = await getRunRow(this.ctx.db, runId);
        const version = await versionById(this.ctx, row.datasetVersionId!);
        const items = await listItems(this.ctx, version.id);
        const base = await this.gateway();
        const { specs, judge } = splitEvaluators(row.evaluators);
        return {
          functionName: row.functionName,
          candidates: new Map(row.candidates.map((c) => [c.key, c])),
          items: new Map(items.map((i) => [i.position, i])),
          specs,
          judge,
          gateway: base.withConfig(configWithCandidates(base.config, row.functionName, row.candidates)),
        };
      })();
      found.catch(() => this.plans.delete(runId));
      this.plans.set(runId, found);
    }
    return found;
  }

  private async process(unit: ClaimedUnit): Promise<void> {
    try {
      const plan = await this.plan(unit.runId);
      const result = await executeUnit({
        gateway: plan.gateway,
        runId: unit.runId,
        functionName: plan.functionName,
        candidate: plan.candidates.get(unit.candidate)!,
        item: plan.items.get(unit.position)!,
        repetition: unit.repetition,
        specs: plan.specs,
        judge: plan.judge,
        signal: this.abort.signal,
      });
      const now = Date.now();
      const feedback: FeedbackRow[] = Object.entries(result.scores).map(([name, score], i) => ({
        id: uuidAt(now + i),
        target_type: "inference",
        target_id: result.inferenceId,
        function_name: result.functionName,
        variant_name: result.variantName,
        metric_name: name,
        kind: "float",
        value: score.score,
        text: score.reason ?? score.error ?? "",
        tags: { ...runTags(unit.runId, unit.position), "llmops.source": "evaluator", [EVALUATOR_TAG]: name },
        timestamp: toClickHouseTime(new Date(now)),
      }));
      const { functionName: _f, ...outcome } = result;
      // The Postgres copy of the answer follows the function's `store` (lib/pii), like the log.
      outcome.output = new PiiPolicy(plan.gateway.config).text(result.functionName, outcome.output);
      // Scores first (one ClickHouse insert shared by the units finishing together), then the
      // guarded update; a claim lost meanwhile takes its feedback back out.
      await groupInsert(this.ctx.clickhouse, "feedback", feedback);
      const won = await completeUnit(this.ctx.db, unit, outcome);
      if (won) this.completed++;
      else
        await deleteFeedback(
          this.ctx.clickhouse,
          feedback.map((f) => f.id),
        );
    } catch (error) {
      if (this.stopped && this.abort.signal.aborted) return;
      await failUnit(this.ctx.db, unit, error instanceof Error ? error.message : String(error), retryable(error)).catch(() => undefined);
    } finally {
      this.inFlight.delete(unit.id);
      if (this.inFlight.size === 0) for (const resolve of this.idle) resolve();
      // The next tick claims for every unit that finished meanwhile, and finishes the run when nothing is left.
      if (!this.stopped) this.schedule(5);
    }
  }

  private async finishIfDone(runId: string): Promise<void> {
    if (!(await markFinishedIfDone(this.ctx.db, runId))) return;
    this.plans.delete(runId);
    const row = await getRunRow(this.ctx.db, runId);
    const summary = summariseRun(
      row.candidates.map((c) => c.key),
      await loadScoredItems(this.ctx.db, runId),
    );
    await finishMlflowRuns(this.ctx, row.mlflowRunIds, summary, "FINISHED");
  }

  /** Stops claiming; waits for units in flight up to `graceMs`, then aborts and releases the rest. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.renewTimer);
    await this.ticking;
    if (this.inFlight.size) {
      await Promise.race([new Promise<void>((resolve) => this.idle.add(resolve)), new Promise((r) => setTimeout(r, graceMs))]);
    }
    const left = [...this.inFlight.keys()];
    this.abort.abort();
    await releaseUnits(this.ctx.db, left, this.owner);
  }

  get busy(): number {
    return this.inFlight.size;
  }
}
