import { asc, desc, inArray, notInArray, sql, type SQL } from "drizzle-orm";
import { alias, type PgColumn, type PgTable } from "drizzle-orm/pg-core";
import { datasets, latestMetrics, runInputs, runParams, runs, runTags } from "@/db/schema";
import { NUMERIC_SQL, compareNumber, compareText } from "@/lib/search/sql";
import type { RunClause, RunNumericAttribute, RunOrder, RunOrderAttribute, RunStringAttribute } from "./run-filter";
import { DATASET_CONTEXT_TAG } from "./tags";

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
    case "metric":
      // IEEE semantics: NaN satisfies only `!=` (Postgres would order NaN above every number).
      // The experiment term lets Postgres answer from the (experiment, key, value) index.
      return sql`exists (select 1 from ${latestMetrics} where ${latestMetrics.runId} = ${runs.runId}
        and ${latestMetrics.experimentId} = ${runs.experimentId} and ${latestMetrics.key} = ${clause.key} and ${metricCondition(latestMetrics, clause)})`;
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
      const condition = datasetCondition(
        clause.key,
        (column) =>
          sql`${column} in (${sql.join(
            clause.values.map((v) => sql`${v}`),
            sql`, `,
          )})`,
      );
      return clause.negate ? sql`not ${condition}` : condition;
    }
  }
}

export type MetricClause = Extract<RunClause, { kind: "metric" }>;
type OrderTable =
  | ReturnType<typeof alias<typeof latestMetrics, string>>
  | ReturnType<typeof alias<typeof runParams, string>>
  | ReturnType<typeof alias<typeof runTags, string>>;

const ORDER_COLUMNS: Record<RunOrderAttribute, PgColumn> = { ...STRING_COLUMNS, ...NUMERIC_COLUMNS, experiment_id: runs.experimentId };

/** One query of a search: the joins it needs, its conditions on `runs`, and its ORDER BY. */
export interface RunSearchSql {
  joins: { table: PgTable; on: SQL; inner: boolean }[];
  where: SQL[];
  orderBy: SQL[];
}

export function metricCondition(table: PgTable & { value: PgColumn }, clause: MetricClause): SQL {
  const notNan = clause.op === "!=" ? sql`` : sql` and ${table.value} <> 'NaN'::float8`;
  return sql`${table.value} ${NUMERIC_SQL[clause.op]} ${clause.value}${notNan}`;
}

/** Sort terms after the first metric key: missing values last (NaN just before them), then the tie-breakers. */
function restOfOrder(orders: RunOrder[], from: number): { joins: RunSearchSql["joins"]; orderBy: SQL[] } {
  const joins: RunSearchSql["joins"] = [];
  const orderBy: SQL[] = [];
  let sortsOnStartTime = false;
  orders.forEach(({ by, ascending }, i) => {
    if (i < from) return;
    const direction = (value: SQL | PgColumn) => (ascending ? asc(value) : desc(value));
    if (by.kind === "attribute") {
      if (by.key === "start_time") sortsOnStartTime = true;
      const column = ORDER_COLUMNS[by.key];
      // Only end_time can be missing; a constant CASE on the other columns would hide their index order.
      if (by.key === "end_time") orderBy.push(sql`case when ${column} is null then 1 else 0 end`);
      orderBy.push(direction(column));
      return;
    }
    const name = `order_${i}`;
    const table: OrderTable =
      by.kind === "metric" ? alias(latestMetrics, name) : by.kind === "param" ? alias(runParams, name) : alias(runTags, name);
    joins.push({ table, inner: false, on: sql`${table.runId} = ${runs.runId} and ${table.key} = ${by.key}` });
    orderBy.push(
      by.kind === "metric"
        ? sql`case when ${table.value} is null then 2 when ${table.value} = 'NaN'::float8 then 1 else 0 end`
        : sql`case when ${table.value} is null then 1 else 0 end`,
      direction(table.value),
    );
  });
  if (!sortsOnStartTime) orderBy.push(desc(runs.startTime));
  orderBy.push(asc(runs.runId));
  return { joins, orderBy };
}

/**
 * The search as SQL, MLflow's way: every order key sorts missing values last (and NaN metrics just
 * before them) whatever the direction, then start_time DESC and run_id break ties.
 *
 * Fast path: a search of one experiment whose only filters are on the metric it sorts by first
 * (the dashboard's "best runs by accuracy") is split into consecutive segments — runs with a number
 * for that metric, runs with NaN, runs without it — each an inner join (or NOT EXISTS) that
 * Postgres serves by walking the experiment's (key, value) index in order, stopping at the page
 * size. Any other filter could reject most of the walk (filters on other metrics are often
 * correlated with the sorted one), so those searches sort their matching runs in one query.
 */
export function compileRunSearch(clauses: RunClause[], orders: RunOrder[], experimentCount: number): RunSearchSql[] {
  const [first] = orders;
  const walkable =
    first?.by.kind === "metric" && experimentCount === 1 && clauses.every((c) => c.kind === "metric" && c.key === first.by.key);
  if (!first || first.by.kind !== "metric" || !walkable) {
    const { joins, orderBy } = restOfOrder(orders, 0);
    return [{ joins, where: clauses.map(runClauseSql), orderBy }];
  }
  const key = first.by.key;
  const onKey = clauses.filter((c): c is MetricClause => c.kind === "metric");
  const rest = restOfOrder(orders, 1);
  const metric = alias(latestMetrics, "order_0");
  const join = (condition: SQL) => ({
    table: metric,
    inner: true,
    on: sql.join(
      [
        // Equal to the searched experiment through runs, so the index walk stays inside it.
        sql`${metric.runId} = ${runs.runId} and ${metric.experimentId} = ${runs.experimentId} and ${metric.key} = ${key}`,
        condition,
        ...onKey.map((f) => metricCondition(metric, f)),
      ],
      sql` and `,
    ),
  });
  const segments: RunSearchSql[] = [
    {
      joins: [join(sql`${metric.value} <> 'NaN'::float8`), ...rest.joins],
      where: [],
      orderBy: [first.ascending ? asc(metric.value) : desc(metric.value), ...rest.orderBy],
    },
  ];
  if (onKey.every((f) => f.op === "!="))
    segments.push({ joins: [join(sql`${metric.value} = 'NaN'::float8`), ...rest.joins], where: [], orderBy: rest.orderBy });
  if (onKey.length === 0) {
    const missing = sql`not exists (select 1 from ${latestMetrics} where ${latestMetrics.runId} = ${runs.runId} and ${latestMetrics.key} = ${key})`;
    segments.push({ joins: rest.joins, where: [missing], orderBy: rest.orderBy });
  }
  return segments;
}

/** A search sorted first on a metric, with other filters too: see searchRuns' bounded window. */
export interface WindowPlan {
  key: string;
  ascending: boolean;
  onKey: MetricClause[];
  others: SQL[];
  rest: { joins: RunSearchSql["joins"]; orderBy: SQL[] };
}

export function windowPlan(clauses: RunClause[], orders: RunOrder[], experimentCount: number): WindowPlan | undefined {
  const [first] = orders;
  if (!first || first.by.kind !== "metric" || experimentCount !== 1) return undefined;
  const key = first.by.key;
  const onKey = clauses.filter((c): c is MetricClause => c.kind === "metric" && c.key === key);
  const others = clauses.filter((c) => c.kind !== "metric" || c.key !== key);
  if (others.length === 0) return undefined;
  return { key, ascending: first.ascending, onKey, others: others.map(runClauseSql), rest: restOfOrder(orders, 1) };
}
