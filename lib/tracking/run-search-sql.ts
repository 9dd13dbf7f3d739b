import { asc, desc, inArray, notInArray, sql, type SQL } from "drizzle-orm";
import { alias, type PgColumn, type PgTable } from "drizzle-orm/pg-core";
import { datasets, latestMetrics, runInputs, runParams, runs, runTags } from "@/db/schema";
import { NUMERIC_SQL, compareNumber, compareText } from "@/lib/search/sql";
import type { RunClause, RunOrder, RunNumericAttribute, RunStringAttribute } from "./run-filter";

/**
 * Compiles the bound runs/search AST to Drizzle SQL. User values only ever travel as bound
 * parameters; the operators come from closed enums, never from the request text.
 */
const STRING_COLUMNS: Record<RunStringAttribute, PgColumn> = {
  run_id: runs.runId,
  run_name: runs.name,
  status: runs.status,
  user_id: runs.userId,
  artifact_uri: runs.artifactUri,
};
const NUMERIC_COLUMNS: Record<RunNumericAttribute, PgColumn> = { start_time: runs.startTime, end_time: runs.endTime };

const DATASET_CONTEXT_TAG = "mlflow.data.context";

function datasetCondition(key: "name" | "digest" | "context", test: (column: SQL | PgColumn) => SQL): SQL {
  if (key === "context") {
    return sql`exists (select 1 from ${runInputs} where ${runInputs.runId} = ${runs.runId} and exists (
      select 1 from jsonb_array_elements(${runInputs.tags}) as input_tag
      where input_tag->>'key' = ${DATASET_CONTEXT_TAG} and ${test(sql`input_tag->>'value'`)}))`;
  }
  const column = key === "name" ? datasets.name : datasets.digest;
  return sql`exists (select 1 from ${runInputs} inner join ${datasets} on ${datasets.datasetUuid} = ${runInputs.datasetUuid}
    where ${runInputs.runId} = ${runs.runId} and ${test(column)})`;
}

/** One filter clause as a condition on the `runs` row. */
export function runClauseSql(clause: RunClause): SQL {
  switch (clause.kind) {
    case "metric": {
      // IEEE semantics: NaN satisfies only `!=` (Postgres would order NaN above every number).
      const notNan = clause.op === "!=" ? sql`` : sql` and ${latestMetrics.value} <> 'NaN'::float8`;
      return sql`exists (select 1 from ${latestMetrics} where ${latestMetrics.runId} = ${runs.runId}
        and ${latestMetrics.key} = ${clause.key} and ${latestMetrics.value} ${NUMERIC_SQL[clause.op]} ${clause.value}${notNan})`;
    }
    case "param":
      return sql`exists (select 1 from ${runParams} where ${runParams.runId} = ${runs.runId}
        and ${runParams.key} = ${clause.key} and ${compareText(runParams.value, clause.op, clause.value)})`;
    case "tag":
      return sql`exists (select 1 from ${runTags} where ${runTags.runId} = ${runs.runId}
        and ${runTags.key} = ${clause.key} and ${compareText(runTags.value, clause.op, clause.value)})`;
    case "string_attribute":
      return compareText(STRING_COLUMNS[clause.key], clause.op, clause.value);
    case "numeric_attribute":
      return compareNumber(NUMERIC_COLUMNS[clause.key], clause.op, clause.value);
    case "run_id_in":
      return clause.negate ? notInArray(runs.runId, clause.values) : inArray(runs.runId, clause.values);
    case "dataset":
      return datasetCondition(clause.key, (column) => compareText(column, clause.op, clause.value));
    case "dataset_in": {
      const condition = datasetCondition(clause.key, (column) => sql`${column} in (${sql.join(clause.values.map((v) => sql`${v}`), sql`, `)})`);
      return clause.negate ? sql`not ${condition}` : condition;
    }
  }
}

export interface RunOrderJoin {
  table: PgTable;
  on: SQL;
}

/**
 * ORDER BY terms, MLflow's way: each key sorts missing values last (and NaN metrics just before
 * them) whatever the direction, then start_time DESC and run_id break ties. Keys on metrics,
 * params and tags need a left join each.
 */
export function runOrderSql(orders: RunOrder[]): { joins: RunOrderJoin[]; orderBy: SQL[] } {
  const joins: RunOrderJoin[] = [];
  const orderBy: SQL[] = [];
  let sortsOnStartTime = false;
  orders.forEach(({ by, ascending }, i) => {
    const direction = (value: SQL | PgColumn) => (ascending ? asc(value) : desc(value));
    if (by.kind === "attribute") {
      const column = by.key === "experiment_id" ? runs.experimentId : (NUMERIC_COLUMNS[by.key as RunNumericAttribute] ?? STRING_COLUMNS[by.key as RunStringAttribute]);
      if (by.key === "start_time") sortsOnStartTime = true;
      orderBy.push(sql`case when ${column} is null then 1 else 0 end`, direction(column));
      return;
    }
    const name = `order_${i}`;
    const table = by.kind === "metric" ? alias(latestMetrics, name) : by.kind === "param" ? alias(runParams, name) : alias(runTags, name);
    joins.push({ table, on: sql`${table.runId} = ${runs.runId} and ${table.key} = ${by.key}` });
    const missing =
      by.kind === "metric"
        ? sql`case when ${table.value} is null then 2 when ${table.value} = 'NaN'::float8 then 1 else 0 end`
        : sql`case when ${table.value} is null then 1 else 0 end`;
    orderBy.push(missing, direction(table.value));
  });
  if (!sortsOnStartTime) orderBy.push(desc(runs.startTime));
  orderBy.push(asc(runs.runId));
  return { joins, orderBy };
}
