import { containsLike } from "@/lib/find/pattern";
import { toClickHouseTime } from "./tables";

/**
 * The one WHERE builder over the inference log (`inferences`): the inference browser, the
 * dashboards' tag-filtered reads, labelling queues, retention's deletions and runtime evaluation
 * all describe the rows they want with an `InferenceLogFilter`. Every value becomes a `{name:Type}`
 * parameter; the SQL text holds only column names, operators and parameter names chosen here.
 */

export interface TagCondition {
  key: string;
  value: string;
}

export const FEEDBACK_OPS = { eq: "=", gte: ">=", lte: "<=" } as const;
export type FeedbackOp = keyof typeof FEEDBACK_OPS;

export interface InferenceLogFilter {
  /** Inclusive start, epoch ms. */
  from?: number;
  /** Exclusive end, epoch ms. */
  to?: number;
  id?: string;
  ids?: readonly string[];
  episodeId?: string;
  functionName?: string;
  functionNames?: readonly string[];
  variantName?: string;
  modelName?: string;
  status?: string;
  /** The client's `user` (the end_user column). */
  endUser?: string;
  /** Every tag must match exactly. */
  tags?: readonly TagCondition[];
  /**
   * Words or any substring of the input or output, case-insensitive (both sides lowercased with
   * Unicode rules); `%`, `_` and `\` match themselves. Served by the n-gram index of
   * db/clickhouse/0009, so callers always bound it by time as well.
   */
  text?: string;
  /** Keyset paging, newest first: rows strictly before this (timestamp as stored, id). */
  before?: { ts: string; id: string };
  /**
   * Inferences whose latest value of `metric` (feedback on the inference itself, given since
   * `from` when there is one) compares to `value` with `op`.
   */
  feedback?: { metric: string; op: FeedbackOp; value: number };
  /** Only inferences without any feedback for this metric. */
  missingFeedback?: string;
}

export interface FilterOptions {
  /**
   * How `from`/`to` are passed: `millisecond` (default) as DateTime64(3) text; `second` as
   * DateTime text truncated to the second, what the dashboards use (their bounds also cut the
   * rollups, whose buckets are DateTime).
   */
  precision?: "second" | "millisecond";
  /** Prefix of every parameter name, for a filter used as a subquery beside other parameters. */
  prefix?: string;
}

export interface SqlConditions {
  /** Conditions to AND together; empty when the filter is empty. */
  conditions: string[];
  params: Record<string, unknown>;
}

const toSeconds = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

/** The conditions and parameters that select `filter`'s rows of `inferences`. */
export function inferenceConditions(filter: InferenceLogFilter, options: FilterOptions = {}): SqlConditions {
  const p = options.prefix ?? "";
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  const param = (name: string, type: string, value: unknown) => {
    params[p + name] = value;
    return `{${p}${name}:${type}}`;
  };
  const seconds = options.precision === "second";
  const timeType = seconds ? "DateTime('UTC')" : "DateTime64(3, 'UTC')";
  const time = (ms: number) => (seconds ? toSeconds(ms) : toClickHouseTime(new Date(ms)));
  const from = filter.from === undefined ? undefined : param("from", timeType, time(filter.from));
  if (from) conditions.push(`timestamp >= ${from}`);
  if (filter.to !== undefined) conditions.push(`timestamp < ${param("to", timeType, time(filter.to))}`);
  if (filter.id !== undefined) conditions.push(`id = ${param("id", "UUID", filter.id)}`);
  if (filter.ids) conditions.push(`id IN ${param("ids", "Array(UUID)", filter.ids)}`);
  if (filter.episodeId !== undefined) conditions.push(`episode_id = ${param("episode", "UUID", filter.episodeId)}`);
  const fn = filter.functionName === undefined ? undefined : param("fn", "String", filter.functionName);
  if (fn) conditions.push(`function_name = ${fn}`);
  if (filter.functionNames) conditions.push(`function_name IN ${param("fns", "Array(String)", filter.functionNames)}`);
  if (filter.variantName !== undefined) conditions.push(`variant_name = ${param("variant", "String", filter.variantName)}`);
  if (filter.modelName !== undefined) conditions.push(`model_name = ${param("model", "String", filter.modelName)}`);
  if (filter.status !== undefined) conditions.push(`status = ${param("status", "String", filter.status)}`);
  if (filter.endUser !== undefined) conditions.push(`end_user = ${param("end_user", "String", filter.endUser)}`);
  if (filter.text !== undefined)
    // The expression is the index's own (0009), character for character, or the index is not used.
    conditions.push(`lowerUTF8(concat(input, '\\0', output)) LIKE ${param("text", "String", containsPattern(filter.text))}`);
  (filter.tags ?? []).forEach((tag, i) => {
    conditions.push(`tags[${param(`tag_k${i}`, "String", tag.key)}] = ${param(`tag_v${i}`, "String", tag.value)}`);
  });
  if (filter.before) {
    const ts = param("cts", "DateTime64(3, 'UTC')", filter.before.ts);
    conditions.push(`(timestamp, id) < (${ts}, ${param("cid", "UUID", filter.before.id)})`);
  }
  if (filter.feedback) {
    const scope = [`metric_name = ${param("fb_metric", "String", filter.feedback.metric)}`, "target_type = 'inference'"];
    if (from) scope.push(`timestamp >= ${from}`);
    if (fn) scope.push(`function_name = ${fn}`);
    conditions.push(
      `id IN (SELECT target_id FROM feedback_by_metric WHERE ${scope.join(" AND ")}
        GROUP BY target_id HAVING argMax(value, timestamp) ${FEEDBACK_OPS[filter.feedback.op]} ${param("fb_value", "Float64", filter.feedback.value)})`,
    );
  }
  if (filter.missingFeedback !== undefined)
    conditions.push(
      `id NOT IN (SELECT target_id FROM feedback_by_target WHERE metric_name = ${param("missing", "String", filter.missingFeedback)})`,
    );
  return { conditions, params };
}

/** A LIKE pattern matching text that contains `text`, lowercased, with LIKE's special characters escaped. */
export function containsPattern(text: string): string {
  return containsLike(text.toLowerCase());
}

/** `WHERE a AND b …`, or "" for no conditions. */
export function whereSql({ conditions }: SqlConditions): string {
  return conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
}
