import { invalidParameter } from "@/lib/stores/mlflow-errors";
import {
  NUMERIC_OPS,
  STRING_OPS,
  invalidAttribute,
  requireComparator,
  requireList,
  requireNumber,
  requireString,
  type NumericOp,
  type StringOp,
} from "@/lib/search/bind";
import { parseFilter, parseOrderBy, type Comparison, type Identifier } from "@/lib/search/parse";

/** The runs/search filter and order_by, bound to MLflow's entities, keys and comparators. */
export type RunStringAttribute = "run_id" | "run_name" | "status" | "user_id" | "artifact_uri";
export type RunNumericAttribute = "start_time" | "end_time";
export type DatasetField = "name" | "digest" | "context";

export type RunClause =
  | { kind: "metric"; key: string; op: NumericOp; value: number }
  | { kind: "param" | "tag"; key: string; op: StringOp; value: string }
  | { kind: "string_attribute"; key: RunStringAttribute; op: StringOp; value: string }
  | { kind: "numeric_attribute"; key: RunNumericAttribute; op: NumericOp; value: number }
  | { kind: "run_id_in"; negate: boolean; values: string[] }
  | { kind: "dataset"; key: DatasetField; op: StringOp; value: string }
  | { kind: "dataset_in"; key: DatasetField; negate: boolean; values: string[] };

export type RunOrderAttribute = RunStringAttribute | RunNumericAttribute | "experiment_id";
export type RunOrderKey = { kind: "metric" | "param" | "tag"; key: string } | { kind: "attribute"; key: RunOrderAttribute };

export interface RunOrder {
  by: RunOrderKey;
  ascending: boolean;
}

type Entity = "metric" | "parameter" | "tag" | "attribute" | "dataset";
const ENTITY_ALIASES: Record<string, Entity> = {
  metric: "metric",
  metrics: "metric",
  parameter: "parameter",
  parameters: "parameter",
  param: "parameter",
  params: "parameter",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
  dataset: "dataset",
  datasets: "dataset",
};

const STRING_ATTRIBUTES: Record<string, RunStringAttribute> = {
  run_id: "run_id",
  run_name: "run_name",
  "run name": "run_name",
  "Run name": "run_name",
  "Run Name": "run_name",
  status: "status",
  user_id: "user_id",
  artifact_uri: "artifact_uri",
};
const NUMERIC_ATTRIBUTES: Record<string, RunNumericAttribute> = {
  start_time: "start_time",
  end_time: "end_time",
  created: "start_time",
  Created: "start_time",
};
const SEARCHABLE = [...Object.keys(STRING_ATTRIBUTES), ...Object.keys(NUMERIC_ATTRIBUTES)];
const ORDERABLE = [...SEARCHABLE, "experiment_id"];
const DATASET_FIELDS: readonly DatasetField[] = ["name", "digest", "context"];
const LIST_OPS = [...STRING_OPS, "IN", "NOT IN"] as const;

function entityOf(identifier: Identifier): Entity {
  if (identifier.entity === undefined) return "attribute";
  const entity = ENTITY_ALIASES[identifier.entity];
  if (!entity) {
    throw invalidParameter(
      `Invalid entity type '${identifier.entity}'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']`,
    );
  }
  return entity;
}

function bindClause(c: Comparison): RunClause {
  const { key } = c.identifier;
  switch (entityOf(c.identifier)) {
    case "metric":
      return { kind: "metric", key, op: requireComparator(c, NUMERIC_OPS), value: requireNumber(c.value, "metric") };
    case "parameter":
      return { kind: "param", key, op: requireComparator(c, STRING_OPS), value: requireString(c.value, "parameter") };
    case "tag":
      return { kind: "tag", key, op: requireComparator(c, STRING_OPS), value: requireString(c.value, "tag") };
    case "attribute": {
      const numeric = NUMERIC_ATTRIBUTES[key];
      if (numeric) {
        const op = requireComparator(c, NUMERIC_OPS);
        return { kind: "numeric_attribute", key: numeric, op, value: requireNumber(c.value, `numeric attribute: ${key}`) };
      }
      const attribute = STRING_ATTRIBUTES[key];
      if (!attribute) throw invalidAttribute(key, SEARCHABLE);
      const op = requireComparator(c, LIST_OPS);
      if (op === "IN" || op === "NOT IN" || c.value.kind === "list") {
        if (attribute !== "run_id") {
          throw invalidParameter("Only the 'run_id' attribute supports comparison with a list of quoted string values.");
        }
        if (op !== "IN" && op !== "NOT IN") throw invalidParameter(`Invalid comparator '${op}' for a list of values; use IN or NOT IN`);
        return { kind: "run_id_in", negate: op === "NOT IN", values: requireList(c.value, op) };
      }
      return { kind: "string_attribute", key: attribute, op, value: requireString(c.value, "attributes") };
    }
    case "dataset": {
      const field = DATASET_FIELDS.find((f) => f === key);
      if (!field) throw invalidParameter(`Invalid dataset key '${key}' specified. Valid keys are '{'context', 'digest', 'name'}'`);
      const op = requireComparator(c, LIST_OPS);
      if (op === "IN" || op === "NOT IN")
        return { kind: "dataset_in", key: field, negate: op === "NOT IN", values: requireList(c.value, op) };
      return { kind: "dataset", key: field, op, value: requireString(c.value, "dataset attributes") };
    }
  }
}

export function parseRunFilter(filter: string | undefined | null): RunClause[] {
  return parseFilter(filter).map(bindClause);
}

export function parseRunOrderBy(orderBy: readonly string[]): RunOrder[] {
  const seen = new Set<string>();
  return orderBy.map((text) => {
    const { identifier, ascending } = parseOrderBy(text);
    const entity = entityOf(identifier);
    let by: RunOrderKey;
    switch (entity) {
      case "metric":
      case "tag":
        by = { kind: entity, key: identifier.key };
        break;
      case "parameter":
        by = { kind: "param", key: identifier.key };
        break;
      case "attribute": {
        const key =
          identifier.key === "experiment_id" ? "experiment_id" : (NUMERIC_ATTRIBUTES[identifier.key] ?? STRING_ATTRIBUTES[identifier.key]);
        if (!key) throw invalidAttribute(identifier.key, ORDERABLE);
        by = { kind: "attribute", key };
        break;
      }
      case "dataset":
        throw invalidParameter(`Invalid identifier type '${identifier.entity ?? "dataset"}'`);
    }
    const id = `${by.kind}:${by.key}`;
    if (seen.has(id)) throw invalidParameter(`\`order_by\` contains duplicate fields: [${orderBy.map((o) => `'${o}'`).join(", ")}]`);
    seen.add(id);
    return { by, ascending };
  });
}
