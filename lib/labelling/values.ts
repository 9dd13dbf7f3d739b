import { COMMENT_METRIC, DEMONSTRATION_METRIC, type FeedbackKind } from "@/lib/inference/tables";
import { LIMITS, type LabelField, type LabelFieldInput, type LabelValue } from "./schemas";

/**
 * Pure rules of label fields: defaults when a queue is created, checking a reviewer's values, and
 * how each value becomes a feedback row (kind, metric, value, text):
 * - boolean → kind "boolean", value 0/1, under the field's metric;
 * - score (1–5) → kind "float", value 1..5, under the field's metric;
 * - category → kind "comment" under the field's metric, text = the chosen option (no number is
 *   invented for a category; readers group comment rows of that metric by text);
 * - comment → kind "comment" under the shared "comment" metric;
 * - correction → kind "demonstration" under the shared "demonstration" metric, text = JSON
 *   `{"content": "..."}` (the shape of an inference's output).
 */

export const SCORE_MIN = 1;
export const SCORE_MAX = 5;

/** Default metric name of a field: the queue's slug and the field key, e.g. `support_triage.helpful`. */
export function defaultMetric(queueName: string, field: Pick<LabelFieldInput, "key" | "type">): string {
  if (field.type === "comment") return COMMENT_METRIC;
  if (field.type === "correction") return DEMONSTRATION_METRIC;
  const slug = queueName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 50);
  return slug ? `${slug}.${field.key}` : field.key;
}

const TITLE = (key: string) => key.charAt(0).toUpperCase() + key.slice(1).replaceAll("_", " ");

/** Fills in labels, metrics and `required` (choices required, free text optional by default). */
export function normalizeFields(queueName: string, fields: LabelFieldInput[]): LabelField[] {
  return fields.map((f) => ({
    key: f.key,
    label: f.label || TITLE(f.key),
    type: f.type,
    metric:
      f.type === "comment" ? COMMENT_METRIC : f.type === "correction" ? DEMONSTRATION_METRIC : (f.metric ?? defaultMetric(queueName, f)),
    ...(f.type === "category" ? { options: f.options ?? [] } : {}),
    required: f.required ?? !(f.type === "comment" || f.type === "correction"),
  }));
}

export class LabelValueError extends Error {
  override name = "LabelValueError";
}

/**
 * Checks a reviewer's values against the queue's fields: known keys, right types, required ones
 * present. Empty text counts as absent. Returns the values to store, in field order.
 */
export function checkValues(fields: LabelField[], values: Record<string, LabelValue>): [string, LabelValue][] {
  const known = new Set(fields.map((f) => f.key));
  const unknown = Object.keys(values).filter((k) => !known.has(k));
  if (unknown.length > 0)
    throw new LabelValueError(`Unknown label field ${unknown.map((k) => `"${k}"`).join(", ")}; this queue has ${[...known].join(", ")}`);
  const out: [string, LabelValue][] = [];
  for (const field of fields) {
    let value = values[field.key];
    if (typeof value === "string" && value.trim() === "" && (field.type === "comment" || field.type === "correction")) value = undefined;
    if (value === undefined) {
      if (field.required) throw new LabelValueError(`"${field.label}" is required`);
      continue;
    }
    out.push([field.key, checkOne(field, value)]);
  }
  if (out.length === 0) throw new LabelValueError("Give at least one label");
  return out;
}

function checkOne(field: LabelField, value: LabelValue): LabelValue {
  switch (field.type) {
    case "boolean":
      if (typeof value !== "boolean") throw new LabelValueError(`"${field.label}" takes true or false, not ${JSON.stringify(value)}`);
      return value;
    case "score":
      if (typeof value !== "number" || !Number.isInteger(value) || value < SCORE_MIN || value > SCORE_MAX) {
        throw new LabelValueError(`"${field.label}" takes a whole score from ${SCORE_MIN} to ${SCORE_MAX}, not ${JSON.stringify(value)}`);
      }
      return value;
    case "category":
      if (typeof value !== "string" || !field.options?.includes(value)) {
        throw new LabelValueError(
          `"${field.label}" takes one of ${(field.options ?? []).map((o) => `"${o}"`).join(", ")}, not ${JSON.stringify(value)}`,
        );
      }
      return value;
    case "comment":
    case "correction":
      if (typeof value !== "string") throw new LabelValueError(`"${field.label}" takes text, not ${JSON.stringify(value)}`);
      if (value.length > LIMITS.maxTextLength)
        throw new LabelValueError(`"${field.label}" is longer than ${LIMITS.maxTextLength} characters`);
      return value;
  }
}

export interface FeedbackValue {
  metric: string;
  kind: FeedbackKind;
  value: number;
  text: string;
}

/** The feedback row content of one checked label value. */
export function toFeedbackValue(field: LabelField, value: LabelValue): FeedbackValue {
  switch (field.type) {
    case "boolean":
      return { metric: field.metric, kind: "boolean", value: value === true ? 1 : 0, text: "" };
    case "score":
      return { metric: field.metric, kind: "float", value: Number(value), text: "" };
    case "category":
      return { metric: field.metric, kind: "comment", value: 0, text: String(value) };
    case "comment":
      return { metric: field.metric, kind: "comment", value: 0, text: String(value) };
    case "correction":
      return { metric: field.metric, kind: "demonstration", value: 0, text: JSON.stringify({ content: String(value) }) };
  }
}

export interface LabelProblems {
  /** Field key → what is wrong with it, for the inline message beside the field. */
  byField: Record<string, string>;
  /** One sentence for the whole form, or undefined when the values can be sent. */
  summary?: string;
}

/**
 * What the review screen checks before sending, with the same rules as `checkValues` (required
 * fields present, empty text counts as absent, at least one label), as messages per field.
 */
export function labelProblems(fields: LabelField[], values: Record<string, LabelValue>): LabelProblems {
  const given = (field: LabelField) => {
    const value = values[field.key];
    return value !== undefined && !(typeof value === "string" && value.trim() === "");
  };
  const missing = fields.filter((f) => f.required && !given(f));
  const byField = Object.fromEntries(missing.map((f) => [f.key, choiceField(f) ? "Choose one" : "Enter text"]));
  if (missing.length > 0) {
    const names = missing.map((f) => `"${f.label}"`).join(", ");
    return {
      byField,
      summary: `${missing.length === 1 ? "One required field is" : `${missing.length} required fields are`} empty: ${names}.`,
    };
  }
  if (!fields.some(given)) return { byField, summary: "Give at least one label before saving." };
  return { byField };
}

const choiceField = (field: LabelField) => field.type === "boolean" || field.type === "score" || field.type === "category";
