import { invalidParameter } from "@/lib/stores/mlflow-errors";
import type { Comparison, FilterValue } from "./parse";

/** Helpers each surface uses to bind parsed comparisons to its typed AST with MLflow's messages. */
export const NUMERIC_OPS = ["=", "!=", "<", "<=", ">", ">="] as const;
export type NumericOp = (typeof NUMERIC_OPS)[number];
export const STRING_OPS = ["=", "!=", "LIKE", "ILIKE"] as const;
export type StringOp = (typeof STRING_OPS)[number];

/** Renders a set of names as Python prints one, for messages that list what is allowed. */
export const pySet = (values: readonly string[]) =>
  `{${[...values]
    .sort()
    .map((v) => `'${v}'`)
    .join(", ")}}`;

export function requireComparator<T extends string>(comparison: Comparison, allowed: readonly T[]): T {
  const found = allowed.find((op) => op === comparison.comparator);
  if (!found) throw invalidParameter(`Invalid comparator '${comparison.comparator}' not one of '${pySet(allowed)}'`);
  return found;
}

export function requireNumber(value: FilterValue, what: string): number {
  if (value.kind !== "number") throw invalidParameter(`Expected numeric value type for ${what}. Found ${value.text}`);
  return value.value;
}

/** A quoted string (single or double quotes), as MLflow requires for params, tags and string attributes. */
export function requireString(value: FilterValue, what: string): string {
  switch (value.kind) {
    case "string":
      return value.value;
    case "bare":
      throw invalidParameter(
        `Parameter value is either not quoted or unidentified quote types used for string value ${value.text}. ` +
          "Use either single or double quotes.",
      );
    case "number":
    case "list":
      throw invalidParameter(`Expected a quoted string value for ${what} (e.g. 'my-value'). Got value ${value.text}`);
  }
}

export function requireList(value: FilterValue, comparator: string): string[] {
  if (value.kind !== "list") {
    throw invalidParameter(`Expected a list of quoted string values for the '${comparator}' comparator. Got value ${value.text}`);
  }
  return value.values;
}

export function invalidAttribute(key: string, valid: readonly string[]) {
  return invalidParameter(`Invalid attribute key '${key}' specified. Valid keys are '${pySet(valid)}'`);
}
