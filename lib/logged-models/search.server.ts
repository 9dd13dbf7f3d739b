import "server-only";
import { and, asc, desc, eq, inArray, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { loggedModelMetrics, loggedModelParams, loggedModelTags, loggedModels } from "@/db/schema";
import { invalidParameter } from "@/lib/stores/mlflow-errors";
import {
  NUMERIC_OPS,
  STRING_OPS,
  requireComparator,
  requireList,
  requireNumber,
  requireString,
  type NumericOp,
  type StringOp,
} from "@/lib/search/bind";
import { parseFilter, type Comparison } from "@/lib/search/parse";
import { compareNumber, compareText } from "@/lib/search/sql";
import type { TrackingContext } from "@/lib/tracking/context";
import { pageOf, parsePageToken } from "@/lib/tracking/page-token";
import { parseExperimentId } from "@/lib/tracking/validation";
import { loadModels } from "./models.server";
import type { LoggedModel } from "./types";

/**
 * logged-models/search (mlflow/utils/search_logged_model_utils.py, sqlalchemy_store.py): a filter
 * of comparisons joined by AND over attributes, `metrics.`, `params.` and `tags.`; `datasets`
 * restricting which metrics count; order_by on attributes or a metric's latest value (missing
 * values last), newest first otherwise. Compiled to parameterised SQL; page tokens are offsets.
 */
export const SEARCH_LOGGED_MODELS_DEFAULT = 50;
export const SEARCH_LOGGED_MODELS_MAX = 1000;

const TEXT_ATTRIBUTES: Record<string, PgColumn> = {
  name: loggedModels.name,
  model_id: loggedModels.modelId,
  model_type: loggedModels.modelType,
  status: loggedModels.status,
  source_run_id: loggedModels.sourceRunId,
};
const NUMERIC_ATTRIBUTES: Record<string, PgColumn> = {
  creation_timestamp: loggedModels.creationTime,
  creation_time: loggedModels.creationTime,
  creation_timestamp_ms: loggedModels.creationTime,
  last_updated_timestamp: loggedModels.lastUpdatedTime,
  last_updated_timestamp_ms: loggedModels.lastUpdatedTime,
};
const SET_OPS = ["IN", "NOT IN"] as const;

export interface DatasetFilter {
  name: string;
  digest?: string;
}

export interface OrderByField {
  fieldName: string;
  ascending: boolean;
  datasetName?: string;
  datasetDigest?: string;
}

const metricDatasets = (datasets: DatasetFilter[]): SQL | undefined =>
  datasets.length
    ? or(
        ...datasets.map((d) =>
          and(eq(loggedModelMetrics.datasetName, d.name), d.digest ? eq(loggedModelMetrics.datasetDigest, d.digest) : undefined),
        ),
      )
    : undefined;

/** `status = 'READY'` means LOGGED_MODEL_READY, as the Python client prints statuses. */
const statusValue = (column: string, value: string) =>
  column === "status" && !value.startsWith("LOGGED_MODEL_") ? `LOGGED_MODEL_${value}` : value;

function textClause(column: PgColumn, c: Comparison, field: string, what: string): SQL {
  const op = requireComparator(c, [...STRING_OPS, ...SET_OPS]);
  if (op === "IN" || op === "NOT IN") {
    const values = requireList(c.value, op).map((v) => statusValue(field, v));
    return op === "IN" ? inArray(column, values) : notInArray(column, values);
  }
  return compareText(column, op as StringOp, statusValue(field, requireString(c.value, what)));
}

function exists(table: typeof loggedModelParams | typeof loggedModelTags, key: string, condition: SQL): SQL {
  return sql`exists (select 1 from ${table} where ${table.modelId} = ${loggedModels.modelId} and ${table.key} = ${key} and ${condition})`;
}

function compileClause(c: Comparison, datasets: DatasetFilter[]): SQL {
  const entity = c.identifier.entity;
  const key = c.identifier.key;
  if (entity === "metrics") {
    const op = requireComparator(c, NUMERIC_OPS) as NumericOp;
    const value = requireNumber(c.value, "metrics");
    return sql`exists (select 1 from ${loggedModelMetrics} where ${loggedModelMetrics.modelId} = ${loggedModels.modelId}
      and ${loggedModelMetrics.key} = ${key} and ${compareNumber(loggedModelMetrics.value, op, value)} and ${metricDatasets(datasets) ?? sql`true`})`;
  }
  if (entity === "params") return exists(loggedModelParams, key, textClause(loggedModelParams.value, c, "params", "params"));
  if (entity === "tags") return exists(loggedModelTags, key, textClause(loggedModelTags.value, c, "tags", "tags"));
  if (entity !== undefined && entity !== "attributes" && entity !== "attribute") {
    throw invalidParameter(`Invalid entity type: '${entity}'. Expected one of ['attributes', 'metrics', 'params', 'tags'].`);
  }
  const numeric = NUMERIC_ATTRIBUTES[key];
  if (numeric) return compareNumber(numeric, requireComparator(c, NUMERIC_OPS) as NumericOp, requireNumber(c.value, "attributes"));
  const text = TEXT_ATTRIBUTES[key];
  if (!text) {
    throw invalidParameter(
      `Invalid attribute key '${key}' specified. Valid keys are ${JSON.stringify([...Object.keys(TEXT_ATTRIBUTES), ...Object.keys(NUMERIC_ATTRIBUTES)])}`,
    );
  }
  return textClause(text, c, key, "attributes");
}

function orderClauses(orderBy: OrderByField[]): SQL[] {
  const clauses: SQL[] = [];
  let byCreation = false;
  for (const field of orderBy) {
    const direction = field.ascending ? sql`asc` : sql`desc`;
    const dot = field.fieldName.indexOf(".");
    if (dot === -1) {
      const column = TEXT_ATTRIBUTES[field.fieldName] ?? NUMERIC_ATTRIBUTES[field.fieldName];
      if (!column) throw invalidParameter(`Invalid order by field name: ${field.fieldName}`);
      if (column === loggedModels.creationTime) byCreation = true;
      clauses.push(sql`${column} ${direction} nulls last`);
      continue;
    }
    if (field.fieldName.slice(0, dot) !== "metrics") {
      throw invalidParameter(`Invalid order by field name: ${field.fieldName}. Only metrics are supported.`);
    }
    const datasets = field.datasetName ? [{ name: field.datasetName, digest: field.datasetDigest }] : [];
    // The metric's latest value for each model (latest by time, then step), as MLflow ranks them.
    const latest = sql`(select ${loggedModelMetrics.value} from ${loggedModelMetrics}
      where ${loggedModelMetrics.modelId} = ${loggedModels.modelId} and ${loggedModelMetrics.key} = ${field.fieldName.slice(dot + 1)}
      and ${metricDatasets(datasets) ?? sql`true`}
      order by ${loggedModelMetrics.timestamp} desc, ${loggedModelMetrics.step} desc limit 1)`;
    clauses.push(sql`${latest} ${direction} nulls last`);
  }
  if (!byCreation) clauses.push(desc(loggedModels.creationTime));
  clauses.push(asc(loggedModels.modelId));
  return clauses;
}

export interface SearchLoggedModelsInput {
  experimentIds: string[];
  filter?: string;
  datasets: DatasetFilter[];
  maxResults?: number;
  orderBy: OrderByField[];
  pageToken?: string;
}

export async function searchLoggedModels({ ctx, input }: { ctx: TrackingContext; input: SearchLoggedModelsInput }): Promise<{
  models: LoggedModel[];
  nextPageToken?: string;
}> {
  if (input.experimentIds.length === 0) {
    throw invalidParameter(
      "Missing value for required parameter 'experiment_ids'. See the API docs for more information about request parameters.",
    );
  }
  if (input.datasets.some((d) => !d.name)) throw invalidParameter("`dataset_name` in the `datasets` clause must be specified.");
  const maxResults = input.maxResults || SEARCH_LOGGED_MODELS_DEFAULT;
  if (maxResults < 1 || maxResults > SEARCH_LOGGED_MODELS_MAX) {
    throw invalidParameter(
      `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be between 1 and ${SEARCH_LOGGED_MODELS_MAX}.`,
    );
  }
  const experimentIds = input.experimentIds.map(parseExperimentId);
  const clauses = parseFilter(input.filter).map((c) => compileClause(c, input.datasets));
  const hasMetricClause = parseFilter(input.filter).some((c) => c.identifier.entity === "metrics");
  if (input.datasets.length && !hasMetricClause) {
    clauses.push(
      sql`exists (select 1 from ${loggedModelMetrics} where ${loggedModelMetrics.modelId} = ${loggedModels.modelId} and ${metricDatasets(input.datasets) ?? sql`true`})`,
    );
  }
  const offset = parsePageToken(input.pageToken);
  const rows = await ctx.db
    .select()
    .from(loggedModels)
    .where(and(inArray(loggedModels.experimentId, experimentIds), eq(loggedModels.lifecycleStage, "active"), ...clauses))
    .orderBy(...orderClauses(input.orderBy))
    .limit(maxResults + 1)
    .offset(offset);
  const page = pageOf(rows, offset, maxResults);
  return { models: await loadModels(ctx.db, page.items), nextPageToken: page.nextPageToken };
}
