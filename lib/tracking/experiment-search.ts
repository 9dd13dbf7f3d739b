import { asc, desc, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { experimentTags, experiments } from "@/db/schema";
import { invalidParameter } from "@/lib/stores/mlflow-errors";
import {
  NUMERIC_OPS,
  STRING_OPS,
  invalidAttribute,
  requireComparator,
  requireNumber,
  requireString,
  type NumericOp,
  type StringOp,
} from "@/lib/search/bind";
import { parseFilter, parseOrderBy, type Comparison, type Identifier } from "@/lib/search/parse";
import { compareNumber, compareText } from "@/lib/search/sql";

/** experiments/search: filter on name, times and tags; order by name, id and times. */
export type ExperimentClause =
  | { kind: "name"; op: StringOp; value: string }
  | { kind: "time"; key: "creation_time" | "last_update_time"; op: NumericOp; value: number }
  | { kind: "tag"; key: string; op: StringOp; value: string };

export type ExperimentOrderKey = "name" | "experiment_id" | "creation_time" | "last_update_time";

const SEARCHABLE = ["name", "creation_time", "last_update_time"];
const ORDERABLE: readonly ExperimentOrderKey[] = ["name", "experiment_id", "creation_time", "last_update_time"];

function entityOf(identifier: Identifier): "attribute" | "tag" {
  if (identifier.entity === undefined || identifier.entity === "attribute" || identifier.entity === "attributes") return "attribute";
  if (identifier.entity === "tag" || identifier.entity === "tags") return "tag";
  throw invalidParameter(`Invalid entity type '${identifier.entity}'. Valid entity types are ('attribute', 'tag', 'tags')`);
}

function bind(c: Comparison): ExperimentClause {
  const { key } = c.identifier;
  if (entityOf(c.identifier) === "tag")
    return { kind: "tag", key, op: requireComparator(c, STRING_OPS), value: requireString(c.value, "tag") };
  if (key === "name") return { kind: "name", op: requireComparator(c, STRING_OPS), value: requireString(c.value, "attributes") };
  if (key === "creation_time" || key === "last_update_time") {
    return { kind: "time", key, op: requireComparator(c, NUMERIC_OPS), value: requireNumber(c.value, `numeric attribute: ${key}`) };
  }
  throw invalidAttribute(key, SEARCHABLE);
}

export const parseExperimentFilter = (filter: string | undefined | null) => parseFilter(filter).map(bind);

export function parseExperimentOrderBy(orderBy: readonly string[]): { key: ExperimentOrderKey; ascending: boolean }[] {
  return orderBy.map((text) => {
    const { identifier, ascending } = parseOrderBy(text);
    if (entityOf(identifier) !== "attribute") throw invalidParameter(`Invalid order_by entity: tag`);
    const key = ORDERABLE.find((k) => k === identifier.key);
    if (!key) throw invalidAttribute(identifier.key, ORDERABLE);
    return { key, ascending };
  });
}

export function experimentClauseSql(clause: ExperimentClause): SQL {
  switch (clause.kind) {
    case "name":
      return compareText(experiments.name, clause.op, clause.value);
    case "time": {
      const column = clause.key === "creation_time" ? experiments.creationTime : experiments.lastUpdateTime;
      return compareNumber(column, clause.op, clause.value);
    }
    case "tag":
      return sql`exists (select 1 from ${experimentTags} where ${experimentTags.experimentId} = ${experiments.experimentId}
        and ${experimentTags.key} = ${clause.key} and ${compareText(experimentTags.value, clause.op, clause.value)})`;
  }
}

const COLUMNS: Record<ExperimentOrderKey, PgColumn> = {
  name: experiments.name,
  experiment_id: experiments.experimentId,
  creation_time: experiments.creationTime,
  last_update_time: experiments.lastUpdateTime,
};

/** MLflow's default is creation_time DESC, experiment_id ASC; experiment_id DESC breaks other ties. */
export function experimentOrderSql(orders: { key: ExperimentOrderKey; ascending: boolean }[]): SQL[] {
  const chosen =
    orders.length > 0
      ? orders
      : [
          { key: "creation_time" as const, ascending: false },
          { key: "experiment_id" as const, ascending: true },
        ];
  const terms = chosen.map(({ key, ascending }) => (ascending ? asc(COLUMNS[key]) : desc(COLUMNS[key])));
  if (!chosen.some((o) => o.key === "experiment_id")) terms.push(desc(experiments.experimentId));
  return terms;
}
