import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { uuidAt } from "./ids";
import { z } from "zod";
import { AppError, NotFoundError } from "@/lib/http/errors";
import { lookupTargets, insertFeedback, type TargetInfo } from "@/lib/inference/store.server";
import {
  COMMENT_METRIC,
  DEMONSTRATION_METRIC,
  FEEDBACK_TAGS,
  toClickHouseTime,
  type FeedbackKind,
  type FeedbackRow,
  type FeedbackTarget,
} from "@/lib/inference/tables";
import { toolCallSchema } from "./chat";
import type { GatewayConfig } from "./config";

/**
 * Feedback on inferences and episodes: a declared metric's value (boolean or float), a comment,
 * or a demonstration (the corrected answer). Checked against the config (metric declared, value of
 * its type, target of its level) and against the log (the target exists); rows are written at
 * once (low volume), with the target's function and variant denormalised for A/B reads.
 */
export const feedbackSchema = z
  .object({
    metric_name: z.string().min(1, "metric_name is required"),
    inference_id: z.uuid().optional(),
    episode_id: z.uuid().optional(),
    value: z.unknown(),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .refine((f) => (f.inference_id === undefined) !== (f.episode_id === undefined), {
    message: "give exactly one of inference_id or episode_id",
  });
export type FeedbackInput = z.infer<typeof feedbackSchema>;

const demonstrationSchema = z.union([
  z.string().transform((content) => ({ content, finish_reason: "stop" as const })),
  z
    .object({ content: z.string().nullable(), tool_calls: z.array(toolCallSchema).optional() })
    .transform((o) => ({ ...o, finish_reason: o.tool_calls?.length ? ("tool_calls" as const) : ("stop" as const) })),
]);

export interface FeedbackOptions {
  /** `llmops.source`: "api" (a client), "human" (a reviewer), "demo". */
  source?: string;
  reviewer?: string;
  /**
   * Who sent it (the caller's name, issue 14): recorded as `llmops.sent_by`, and the source is then
   * always "api", so a client cannot pass its feedback off as a reviewer's (`llmops.source=human`).
   */
  sentBy?: string;
  timestamp?: Date;
  /** Per-feedback times (the demo's virtual clock); overrides `timestamp`. */
  timestampOf?: (index: number) => Date;
  /** How long to wait for a target still in some recorder's buffer (ids minted recently). */
  waitForTargetMs?: number;
  /** Flushes this process's recorder before looking again (read-after-write for local inferences). */
  flushLocal?: () => Promise<void>;
}

interface Checked {
  input: FeedbackInput;
  targetType: FeedbackTarget;
  targetId: string;
  kind: FeedbackKind;
  value: number;
  text: string;
}

/** Validates one feedback against the config; throws a 4xx AppError naming what is wrong. */
export function checkFeedback(config: GatewayConfig, raw: unknown): Checked {
  const input = feedbackSchema.parse(raw);
  const targetType: FeedbackTarget = input.inference_id ? "inference" : "episode";
  const targetId = (input.inference_id ?? input.episode_id)!;
  if (input.metric_name === COMMENT_METRIC) {
    if (typeof input.value !== "string" || input.value.length === 0)
      throw new AppError("bad_request", "value: a comment needs a non-empty string");
    return { input, targetType, targetId, kind: "comment", value: 0, text: input.value };
  }
  if (input.metric_name === DEMONSTRATION_METRIC) {
    if (targetType !== "inference") throw new AppError("bad_request", "a demonstration is given for an inference_id, not an episode");
    const parsed = demonstrationSchema.safeParse(input.value);
    if (!parsed.success)
      throw new AppError("bad_request", "value: a demonstration is the corrected answer: a string, or {content, tool_calls?}");
    return { input, targetType, targetId, kind: "demonstration", value: 0, text: JSON.stringify(parsed.data) };
  }
  const metric = config.metrics[input.metric_name];
  if (!metric) {
    const known = [...Object.keys(config.metrics), COMMENT_METRIC, DEMONSTRATION_METRIC].join(", ");
    throw new AppError("not_found", `unknown metric "${input.metric_name}"; declared metrics: ${known}`);
  }
  if (metric.level !== targetType) {
    throw new AppError(
      "bad_request",
      `metric "${input.metric_name}" is an ${metric.level}-level metric: give ${metric.level === "episode" ? "episode_id" : "inference_id"}`,
    );
  }
  if (metric.type === "boolean") {
    if (typeof input.value !== "boolean")
      throw new AppError("bad_request", `value: metric "${input.metric_name}" is boolean, got ${JSON.stringify(input.value) ?? "nothing"}`);
    return { input, targetType, targetId, kind: "boolean", value: input.value ? 1 : 0, text: "" };
  }
  if (typeof input.value !== "number" || !Number.isFinite(input.value)) {
    throw new AppError("bad_request", `value: metric "${input.metric_name}" is a float, got ${JSON.stringify(input.value) ?? "nothing"}`);
  }
  return { input, targetType, targetId, kind: "float", value: input.value, text: "" };
}

/** Milliseconds since the UUIDv7's embedded time (Infinity for other UUIDs). */
function ageOf(id: string, now: number): number {
  if (id[14] !== "7") return Infinity;
  return now - parseInt(id.replace(/-/g, "").slice(0, 12), 16);
}

async function findTargets(client: ClickHouseClient, checked: Checked[], options: FeedbackOptions): Promise<Map<string, TargetInfo>> {
  const found = new Map<string, TargetInfo>();
  const lookup = async () => {
    for (const type of ["inference", "episode"] as const) {
      const ids = checked.filter((c) => c.targetType === type && !found.has(`${type}:${c.targetId}`)).map((c) => c.targetId);
      for (const [id, info] of await lookupTargets(client, type, ids)) found.set(`${type}:${id}`, info);
    }
  };
  await lookup();
  const wait = options.waitForTargetMs ?? 0;
  const missingRecent = () =>
    checked.filter((c) => !found.has(`${c.targetType}:${c.targetId}`) && ageOf(c.targetId, Date.now()) < wait + 60_000);
  if (missingRecent().length > 0 && wait > 0) {
    await options.flushLocal?.().catch(() => undefined);
    const until = Date.now() + wait;
    for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
      await lookup();
      if (missingRecent().length === 0 || Date.now() >= until) break;
      await new Promise((r) => setTimeout(r, pause));
    }
  }
  return found;
}

/** Records several feedbacks in one insert; all are checked first, so it is all or nothing. */
export async function recordFeedbackBatch(
  ctx: { clickhouse: ClickHouseClient; config: GatewayConfig },
  inputs: unknown[],
  options: FeedbackOptions = {},
): Promise<string[]> {
  const checked = inputs.map((raw) => checkFeedback(ctx.config, raw));
  const targets = await findTargets(ctx.clickhouse, checked, options);
  const now = options.timestamp ?? new Date();
  const rows: FeedbackRow[] = checked.map((c, index) => {
    const at = options.timestampOf?.(index) ?? now;
    const target = targets.get(`${c.targetType}:${c.targetId}`);
    if (!target) throw new NotFoundError(`no ${c.targetType} with id ${c.targetId}`);
    const tags: Record<string, string> = {
      ...c.input.tags,
      [FEEDBACK_TAGS.source]: options.source ?? (options.sentBy ? undefined : c.input.tags?.[FEEDBACK_TAGS.source]) ?? "api",
    };
    if (options.sentBy) tags[FEEDBACK_TAGS.sentBy] = options.sentBy;
    if (options.reviewer) tags[FEEDBACK_TAGS.reviewer] = options.reviewer;
    return {
      id: uuidAt(at.getTime()),
      target_type: c.targetType,
      target_id: c.targetId,
      function_name: target.function_name,
      variant_name: target.variant_name,
      episode_id: target.episode_id,
      metric_name: c.input.metric_name,
      kind: c.kind,
      value: c.value,
      text: c.text,
      tags,
      timestamp: toClickHouseTime(at),
    };
  });
  await insertFeedback(ctx.clickhouse, rows);
  return rows.map((r) => r.id);
}

/** Records one feedback; returns its id. Callable by other features (labelling queues). */
export async function recordFeedback(
  ctx: { clickhouse: ClickHouseClient; config: GatewayConfig },
  input: unknown,
  options: FeedbackOptions = {},
): Promise<string> {
  const [id] = await recordFeedbackBatch(ctx, [input], options);
  return id!;
}
