import { asc, desc, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { modelVersionTags, modelVersions, registeredModelTags, registeredModels } from "@/db/schema";
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
import { compareNumber, compareText } from "@/lib/search/sql";

/**
 * registered-models/search and model-versions/search: MLflow's filter and order_by over the
 * registry, bound and compiled to parameterised SQL. On registry tags `!=` also matches entities
 * without the tag, so `tags.\`mlflow.prompt.is_prompt\` != 'true'` selects every plain model.
 */
type TagClause = { kind: "tag"; key: string; op: StringOp; value: string };
export type ModelClause = { kind: "name"; op: StringOp; value: string } | TagClause;
export type VersionClause =
  | { kind: "text"; key: "name" | "run_id" | "source_path"; op: StringOp; value: string }
  | { kind: "in"; key: "run_id"; negate: boolean; values: string[] }
  | { kind: "version"; op: NumericOp; value: number }
  | TagClause;

function isTag(identifier: Identifier): boolean {
  const { entity } = identifier;
  if (entity === undefined || entity === "attribute" || entity === "attributes") return false;
  if (entity === "tag" || entity === "tags") return true;
  throw invalidParameter(`Invalid entity type '${entity}'. Valid entity types are ('attribute', 'tag', 'tags')`);
}

const tagClause = (c: Comparison): TagClause => ({
  kind: "tag",
  key: c.identifier.key,
  op: requireComparator(c, STRING_OPS),
  value: requireString(c.value, "tag"),
});

export function parseModelFilter(filter: string | undefined): ModelClause[] {
  return parseFilter(filter).map((c) => {
    if (isTag(c.identifier)) return tagClause(c);
    if (c.identifier.key !== "name") throw invalidAttribute(c.identifier.key, ["name"]);
    return { kind: "name", op: requireComparator(c, STRING_OPS), value: requireString(c.value, "attributes") };
  });
}

const VERSION_TEXT_KEYS = ["name", "run_id", "source_path"] as const;

export function parseVersionFilter(filter: string | undefined): VersionClause[] {
  return parseFilter(filter).map((c): VersionClause => {
    if (isTag(c.identifier)) return tagClause(c);
    const { key } = c.identifier;
    if (key === "version_number")
      return { kind: "version", op: requireComparator(c, NUMERIC_OPS), value: requireNumber(c.value, "numeric attribute: version_number") };
    const textKey = VERSION_TEXT_KEYS.find((k) => k === key);
    if (!textKey) throw invalidAttribute(key, [...VERSION_TEXT_KEYS, "version_number"]);
    const op = requireComparator(c, [...STRING_OPS, "IN", "NOT IN"] as const);
    if (op === "IN" || op === "NOT IN" || c.value.kind === "list") {
      if (textKey !== "run_id")
        throw invalidParameter("Only the 'run_id' attribute supports comparison with a list of quoted string values.");
      if (op !== "IN" && op !== "NOT IN") throw invalidParameter(`Invalid comparator '${op}' for a list of values; use IN or NOT IN`);
      return { kind: "in", key: "run_id", negate: op === "NOT IN", values: requireList(c.value, op) };
    }
    return { kind: "text", key: textKey, op, value: requireString(c.value, "attributes") };
  });
}

function tagSql(tags: typeof registeredModelTags | typeof modelVersionTags, owner: SQL, clause: TagClause): SQL {
  const match = (op: StringOp) =>
    sql`exists (select 1 from ${tags} where ${owner} and ${tags.key} = ${clause.key} and ${compareText(tags.value, op, clause.value)})`;
  return clause.op === "!=" ? sql`not ${match("=")}` : match(clause.op);
}

export function modelClauseSql(clause: ModelClause): SQL {
  if (clause.kind === "name") return compareText(registeredModels.name, clause.op, clause.value);
  return tagSql(registeredModelTags, sql`${registeredModelTags.name} = ${registeredModels.name}`, clause);
}

const VERSION_COLUMNS: Record<(typeof VERSION_TEXT_KEYS)[number], PgColumn> = {
  name: modelVersions.name,
  run_id: modelVersions.runId,
  source_path: modelVersions.source,
};

export function versionClauseSql(clause: VersionClause): SQL {
  switch (clause.kind) {
    case "text":
      return compareText(VERSION_COLUMNS[clause.key], clause.op, clause.value);
    case "in": {
      const list = sql`${modelVersions.runId} in (${sql.join(
        clause.values.map((v) => sql`${v}`),
        sql`, `,
      )})`;
      return clause.negate ? sql`not (${list})` : list;
    }
    case "version":
      return compareNumber(modelVersions.version, clause.op, clause.value);
    case "tag":
      return tagSql(
        modelVersionTags,
        sql`${modelVersionTags.name} = ${modelVersions.name} and ${modelVersionTags.version} = ${modelVersions.version}`,
        clause,
      );
  }
}

function orderTerms(orderBy: readonly string[], columns: Record<string, PgColumn>, defaults: SQL[], tieBreakers: [string, SQL][]): SQL[] {
  const used = new Set<string>();
  const terms = orderBy.map((text) => {
    const { identifier, ascending } = parseOrderBy(text);
    if (isTag(identifier)) throw invalidParameter("Invalid order_by entity: tag");
    const column = columns[identifier.key];
    if (!column)
      throw invalidParameter(
        `Invalid order by key '${identifier.key}' specified. Valid keys are '{${Object.keys(columns)
          .map((k) => `'${k}'`)
          .join(", ")}}'`,
      );
    used.add(column.name);
    return ascending ? asc(column) : desc(column);
  });
  if (terms.length === 0) return defaults;
  return [...terms, ...tieBreakers.filter(([name]) => !used.has(name)).map(([, term]) => term)];
}

export const modelOrderSql = (orderBy: readonly string[]) =>
  orderTerms(
    orderBy,
    {
      name: registeredModels.name,
      timestamp: registeredModels.creationTime,
      creation_timestamp: registeredModels.creationTime,
      last_updated_timestamp: registeredModels.lastUpdatedTime,
    },
    [asc(registeredModels.name)],
    [["name", asc(registeredModels.name)]],
  );

export const versionOrderSql = (orderBy: readonly string[]) =>
  orderTerms(
    orderBy,
    {
      name: modelVersions.name,
      version_number: modelVersions.version,
      timestamp: modelVersions.creationTime,
      creation_timestamp: modelVersions.creationTime,
      last_updated_timestamp: modelVersions.lastUpdatedTime,
    },
    [desc(modelVersions.lastUpdatedTime), asc(modelVersions.name), desc(modelVersions.version)],
    [
      ["name", asc(modelVersions.name)],
      ["version", desc(modelVersions.version)],
    ],
  );
