import { NUMERIC_OPS, STRING_OPS, requireComparator, requireList, requireNumber, requireString } from "@/lib/search/bind";
import { parseFilter, parseOrderBy, type Comparison } from "@/lib/search/parse";
import { invalidParameter } from "@/lib/stores/mlflow-errors";
import { TRACE_STATES } from "./tables";
import { parseTraceId } from "./ids";

/**
 * MLflow's trace search filter (`trace.status = 'OK' AND tags.topic = 'x' AND
 * metadata.mlflow.sourceRun = '…' AND trace.timestamp_ms > 1711089570679`) and order_by,
 * compiled to conditions on the merged trace columns of `traceSummarySql` (t_start, t_state, …).
 * Keys and values are query parameters; operators come from closed lists.
 */
export interface CompiledFilter {
  conditions: string[];
  params: Record<string, unknown>;
}

const STRING_SQL: Record<(typeof STRING_OPS)[number], string> = { "=": "=", "!=": "!=", LIKE: "LIKE", ILIKE: "ILIKE" };
const TIMESTAMP_KEYS = ["timestamp", "timestamp_ms"];
const LATENCY_KEYS = ["execution_time", "execution_time_ms"];
const STATUS_KEYS = ["status", "state"];
const ATTRIBUTE_KEYS = [...TIMESTAMP_KEYS, ...LATENCY_KEYS, ...STATUS_KEYS, "name", "request_id", "trace_id", "run_id"];
const ATTRIBUTE_ENTITIES = [undefined, "trace", "attribute", "attributes"];
const SOURCE_RUN = "mlflow.sourceRun";

export class FilterBuilder {
  readonly conditions: string[] = [];
  readonly params: Record<string, unknown> = {};
  private n = 0;

  param(value: unknown, type: string): string {
    const name = `f${this.n++}`;
    this.params[name] = value;
    return `{${name}:${type}}`;
  }

  stringCondition(column: string, c: Comparison): string {
    if (c.comparator === "IN" || c.comparator === "NOT IN") {
      return `${column} ${c.comparator} ${this.param(requireList(c.value, c.comparator), "Array(String)")}`;
    }
    const op = requireComparator(c, STRING_OPS);
    return `${column} ${STRING_SQL[op]} ${this.param(requireString(c.value, column), "String")}`;
  }

  numberCondition(column: string, c: Comparison): string {
    const op = requireComparator(c, NUMERIC_OPS);
    return `${column} ${op} ${this.param(requireNumber(c.value, c.identifier.key), "Float64")}`;
  }

  /** Traces having a tag/metadata key whose value matches the comparison. */
  keyCondition(kind: "tag" | "metadata", c: Comparison): string {
    const key = this.param(c.identifier.key, "String");
    const value = this.stringCondition("value", c);
    let sql = `trace_id IN (SELECT trace_id FROM trace_tags FINAL WHERE kind = '${kind}' AND deleted = 0 AND key = ${key} AND ${value})`;
    if (kind === "metadata" && c.identifier.key === SOURCE_RUN) {
      sql = `(${sql} OR trace_id IN (SELECT trace_id FROM trace_tags FINAL WHERE kind = 'run' AND deleted = 0 AND ${this.stringCondition("key", c)}))`;
    }
    if (kind === "metadata" && c.identifier.key === "mlflow.trace.session") sql = `(${sql} OR ${this.stringCondition("t_session", c)})`;
    if (kind === "metadata" && c.identifier.key === "mlflow.trace.user") sql = `(${sql} OR ${this.stringCondition("t_user", c)})`;
    return sql;
  }

  add(c: Comparison): void {
    const { entity, key } = c.identifier;
    const lower = entity?.toLowerCase();
    if (lower === "tag" || lower === "tags") return void this.conditions.push(this.keyCondition("tag", c));
    if (lower === "metadata" || lower === "request_metadata") return void this.conditions.push(this.keyCondition("metadata", c));
    if (lower === "span") {
      // The roll-up keeps each trace's distinct span names and types: no scan of the spans.
      const column = key === "name" ? "t_span_names" : key === "type" ? "t_span_types" : undefined;
      if (!column) throw invalidParameter(`Invalid span attribute '${key}'. Valid keys are 'name' and 'type'.`);
      if (c.comparator === "NOT IN" || c.comparator === "!=")
        return void this.conditions.push(
          `NOT arrayExists(v -> ${this.stringCondition("v", { ...c, comparator: c.comparator === "!=" ? "=" : "IN" })}, ${column})`,
        );
      return void this.conditions.push(`arrayExists(v -> ${this.stringCondition("v", c)}, ${column})`);
    }
    if (!ATTRIBUTE_ENTITIES.includes(lower)) {
      throw invalidParameter(
        `Invalid entity type '${entity}'. Valid values are ['attribute', 'metadata', 'request_metadata', 'span', 'tag', 'trace'].`,
      );
    }
    if (TIMESTAMP_KEYS.includes(key))
      return void this.conditions.push(this.numberCondition("intDiv(toUnixTimestamp64Nano(t_start), 1000000)", c));
    if (LATENCY_KEYS.includes(key)) return void this.conditions.push(this.numberCondition("t_latency_ms", c));
    if (STATUS_KEYS.includes(key)) {
      const values = c.value.kind === "list" ? c.value.values : [requireString(c.value, key)];
      for (const v of values) {
        if (!(TRACE_STATES as readonly string[]).includes(v))
          throw invalidParameter(`Invalid trace status '${v}'. Valid values are ${TRACE_STATES.join(", ")}.`);
      }
      return void this.conditions.push(this.stringCondition("t_state", c));
    }
    if (key === "name") return void this.conditions.push(this.stringCondition("t_name", c));
    if (key === "request_id" || key === "trace_id") {
      const ids = (c.value.kind === "list" ? c.value.values : [requireString(c.value, key)]).map((v) => parseTraceId(v) ?? v);
      const op =
        c.comparator === "IN" || c.comparator === "=" ? "IN" : c.comparator === "NOT IN" || c.comparator === "!=" ? "NOT IN" : undefined;
      if (!op) throw invalidParameter(`Invalid comparator '${c.comparator}' for ${key}; use =, !=, IN or NOT IN.`);
      return void this.conditions.push(`trace_id ${op} ${this.param(ids, "Array(String)")}`);
    }
    if (key === "run_id") {
      return void this.conditions.push(this.keyCondition("metadata", { ...c, identifier: { ...c.identifier, key: SOURCE_RUN } }));
    }
    throw invalidParameter(`Invalid attribute key '${key}' specified. Valid keys are '${ATTRIBUTE_KEYS.join("', '")}'`);
  }
}

export function compileTraceFilter(filter: string | undefined, builder = new FilterBuilder()): FilterBuilder {
  for (const comparison of parseFilter(filter)) builder.add(comparison);
  return builder;
}

const ORDER_COLUMNS: Record<string, string> = {
  timestamp: "t_start",
  timestamp_ms: "t_start",
  request_time: "t_start",
  execution_time: "t_latency_ms",
  execution_time_ms: "t_latency_ms",
  status: "t_state",
  state: "t_state",
  name: "t_name",
  request_id: "trace_id",
  trace_id: "trace_id",
};

/** ORDER BY for MLflow's order_by list; newest first by default, trace id breaks ties. */
export function compileTraceOrder(orderBy: string[]): string {
  const parts = orderBy.map((text) => {
    const { identifier, ascending } = parseOrderBy(text);
    const column = ORDER_COLUMNS[identifier.key];
    if (!column || !ATTRIBUTE_ENTITIES.includes(identifier.entity?.toLowerCase())) {
      throw invalidParameter(
        `Invalid order_by entity '${identifier.text}'. Order by timestamp_ms, execution_time_ms, status, name or request_id.`,
      );
    }
    return `${column} ${ascending ? "ASC" : "DESC"}`;
  });
  if (parts.length === 0) parts.push("t_start DESC");
  return [...parts, "trace_id ASC"].join(", ");
}
