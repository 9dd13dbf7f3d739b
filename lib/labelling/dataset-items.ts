import { outputText } from "./display";
import type { LabelField, LabelValue } from "./schemas";

/**
 * Which labelled items become dataset items, and with what expected output:
 * - an item with a corrected answer expects that answer (the latest one given);
 * - otherwise it expects its own output when every reviewer judged it good by the "good" rule
 *   (a boolean field all true, or a score field all at least `min`, 4 by default);
 * - other items are left out.
 * The default rule uses the first boolean field, else the first score field.
 */

export interface GoodRule {
  field: string;
  /** For score fields: the lowest score that counts as good. */
  min?: number;
}

export interface DatasetItem {
  inferenceId: string;
  /** The inference's input JSON, as the gateway stored it. */
  input: string;
  /** The text the model should produce. */
  expectedOutput: string;
  labels: Record<string, LabelValue[]>;
}

export interface LabelledInference {
  inferenceId: string;
  position: number;
  input: string;
  output: string;
  labels: Record<string, LabelValue[]>;
}

export function defaultGoodRule(fields: LabelField[]): GoodRule | undefined {
  const field = fields.find((f) => f.type === "boolean") ?? fields.find((f) => f.type === "score");
  return field ? { field: field.key, ...(field.type === "score" ? { min: 4 } : {}) } : undefined;
}

export function checkGoodRule(fields: LabelField[], rule: GoodRule): string | undefined {
  const field = fields.find((f) => f.key === rule.field);
  if (!field) return `The queue has no field "${rule.field}"`;
  if (field.type !== "boolean" && field.type !== "score")
    return `"${field.label}" is a ${field.type} field; judge good items by a boolean or score field`;
  return undefined;
}

export function buildDatasetItems(fields: LabelField[], labelled: LabelledInference[], good = defaultGoodRule(fields)): DatasetItem[] {
  const corrections = fields.filter((f) => f.type === "correction").map((f) => f.key);
  const goodField = good ? fields.find((f) => f.key === good.field) : undefined;
  const isGood = (values: LabelValue[] | undefined) =>
    Boolean(values?.length) &&
    values!.every((v) => (goodField?.type === "score" ? typeof v === "number" && v >= (good?.min ?? 4) : v === true));
  return [...labelled]
    .sort((a, b) => a.position - b.position)
    .flatMap((item) => {
      const corrected = corrections
        .flatMap((key) => item.labels[key] ?? [])
        .filter((v): v is string => typeof v === "string" && v.trim() !== "");
      const expected = corrected.length
        ? corrected[corrected.length - 1]
        : goodField && isGood(item.labels[goodField.key])
          ? outputText(item.output)
          : undefined;
      return expected === undefined
        ? []
        : [{ inferenceId: item.inferenceId, input: item.input, expectedOutput: expected, labels: item.labels }];
    });
}
