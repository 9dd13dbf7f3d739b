import { invalidParameter } from "@/lib/stores/mlflow-errors";
import type { KeyValue, MetricPoint } from "./types";

/**
 * MLflow's input rules (mlflow/utils/validation.py) with its messages, so clients that match on
 * them keep working. As in MLflow 3 (MLFLOW_TRUNCATE_LONG_VALUES, on by default), over-long run
 * param and tag values are truncated and stored, with a warning in the server log; keys and every
 * other value over its limit are rejected.
 */
export const LIMITS = {
  maxMetricsPerBatch: 1000,
  maxParamsTagsPerBatch: 100,
  maxEntitiesPerBatch: 1000,
  maxBatchRequestBytes: 1_000_000,
  maxEntityKeyLength: 250,
  maxParamValueLength: 6000,
  maxTagValueLength: 8000,
  maxExperimentNameLength: 500,
  maxExperimentTagKeyLength: 250,
  maxExperimentTagValueLength: 5000,
  maxRegistryTagKeyLength: 250,
  maxRegistryTagValueLength: 5000,
  maxDatasetNameLength: 500,
  maxDatasetDigestLength: 36,
  maxDatasetSourceLength: 65535,
  maxDatasetSchemaLength: 1048575,
  maxDatasetProfileLength: 16777215,
  maxInputTagKeyLength: 255,
  maxInputTagValueLength: 500,
  maxAliasLength: 255,
  /** MLflow's SQL column (registered_models.name String(256)); keeps the key within an index row. */
  maxRegisteredModelNameLength: 256,
  /** MLflow's run-id rule allows 256 characters; a model version's run_id is indexed. */
  maxRunIdLength: 256,
} as const;

const VALID_NAME = /^[\p{L}\p{N}\p{M}_/.\- ]*$/u;
const BAD_CHARACTERS = "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).";
const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;
const EXPERIMENT_ID = /^[0-9]{1,18}$/;

/** Python's posixpath.normpath, which MLflow uses to reject names that would alias other files. */
export function posixNormpath(path: string): string {
  if (path === "") return ".";
  const initial = path.startsWith("/") ? (path.startsWith("//") && !path.startsWith("///") ? 2 : 1) : 0;
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== ".." || (!initial && parts.length === 0) || parts.at(-1) === "..") parts.push(part);
    else if (parts.length > 0) parts.pop();
  }
  const joined = "/".repeat(initial) + parts.join("/");
  return joined || ".";
}

function validateName(kind: "metric" | "parameter" | "tag", name: string): void {
  if (!VALID_NAME.test(name)) throw invalidParameter(`Invalid ${kind} name: '${name}'. ${BAD_CHARACTERS}`);
  const norm = posixNormpath(name);
  if (norm !== name || norm === "." || norm.startsWith("..") || norm.startsWith("/")) {
    throw invalidParameter(
      `Invalid ${kind} name: '${name}'. Names may be treated as files in certain cases, and must not resolve to ` +
        `other names when treated as such. This name would resolve to '${norm}'`,
    );
  }
}

/** Python's len(): code points, not UTF-16 units. */
function pyLength(value: string): number {
  return /[\uD800-\uDFFF]/.test(value) ? Array.from(value).length : value.length;
}

export function validateLength(entity: string, limit: number, value: string | null | undefined): void {
  if (value === null || value === undefined) return;
  const length = pyLength(value);
  if (length > limit) {
    throw invalidParameter(
      `${entity} '${Array.from(value).slice(0, 250).join("")}' had length ${length}, which exceeded length limit of ${limit}`,
    );
  }
}

export function validateMetric(metric: MetricPoint): void {
  validateName("metric", metric.key);
  if (metric.timestamp < 0) {
    throw invalidParameter(
      `Got invalid timestamp ${metric.timestamp} for metric '${metric.key}' (value=${metric.value}). ` +
        "Timestamp must be a nonnegative long (64-bit integer) ",
    );
  }
  validateLength("Metric name", LIMITS.maxEntityKeyLength, metric.key);
}

/** The first `limit` code points of `value` (Python's `value[:limit]`), with MLflow's warning when it cut. */
export function truncateLength(entity: string, limit: number, value: string): string {
  const length = pyLength(value);
  if (length <= limit) return value;
  const points = Array.from(value);
  console.warn(
    `[mlflow] ${entity} '${points.slice(0, 100).join("")}...' (${length} characters) is truncated to ${limit} characters to meet the length limit.`,
  );
  return points.slice(0, limit).join("");
}

/** A valid run param, its value truncated to MLflow's limit. */
export function validateParam(param: KeyValue): KeyValue {
  validateName("parameter", param.key);
  validateLength("Param key", LIMITS.maxEntityKeyLength, param.key);
  return { key: param.key, value: truncateLength("Param value", LIMITS.maxParamValueLength, param.value) };
}

/** A valid run tag, its value truncated to MLflow's limit. */
export function validateTag(tag: KeyValue): KeyValue {
  validateName("tag", tag.key);
  validateLength("Tag key", LIMITS.maxEntityKeyLength, tag.key);
  return { key: tag.key, value: truncateLength("Tag value", LIMITS.maxTagValueLength, tag.value) };
}

export function validateExperimentTag(tag: KeyValue): void {
  validateName("tag", tag.key);
  validateLength("Tag key", LIMITS.maxExperimentTagKeyLength, tag.key);
  validateLength("Tag value", LIMITS.maxExperimentTagValueLength, tag.value);
}

export function validateRegistryTag(entity: "Registered model" | "Model version", tag: KeyValue): void {
  validateName("tag", tag.key);
  validateLength(`${entity} key`, LIMITS.maxRegistryTagKeyLength, tag.key);
  validateLength(`${entity} value`, LIMITS.maxRegistryTagValueLength, tag.value);
}

function validateBatchLimit(entity: string, limit: number, length: number): void {
  if (length > limit) {
    throw invalidParameter(
      `A batch logging request can contain at most ${limit} ${entity}. Got ${length} ${entity}. ` +
        `Please split up ${entity} across multiple requests and try again.`,
    );
  }
}

export function validateBatchLimits(metrics: number, params: number, tags: number): void {
  validateBatchLimit("metrics", LIMITS.maxMetricsPerBatch, metrics);
  validateBatchLimit("params", LIMITS.maxParamsTagsPerBatch, params);
  validateBatchLimit("tags", LIMITS.maxParamsTagsPerBatch, tags);
  validateBatchLimit("metrics, params, and tags", LIMITS.maxEntitiesPerBatch, metrics + params + tags);
}

export function validateBatchRequestSize(bytes: number): void {
  if (bytes > LIMITS.maxBatchRequestBytes) {
    throw invalidParameter(
      `Batched logging API requests must be at most ${LIMITS.maxBatchRequestBytes} bytes, got a request of size ${bytes}.`,
    );
  }
}

export function validateParamKeysUnique(params: KeyValue[]): void {
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const { key } of params) {
    if (seen.has(key)) dupes.push(key);
    seen.add(key);
  }
  if (dupes.length > 0) {
    throw invalidParameter(
      `Duplicate parameter keys have been submitted: [${dupes.map((k) => `'${k}'`).join(", ")}]. ` +
        "Please ensure the request contains only one param value per param key.",
    );
  }
}

export function validateRunId(runId: string): void {
  if (!RUN_ID.test(runId)) throw invalidParameter(`Invalid run ID: '${runId}'`);
}

/** Experiment ids are integers here (as in MLflow's SQL store); anything else cannot name one. */
export function parseExperimentId(id: string): number {
  if (!EXPERIMENT_ID.test(id)) throw invalidParameter(`Invalid experiment ID: '${id}'`);
  return Number(id);
}

export function validateExperimentName(name: string): void {
  if (name === "") throw invalidParameter(`Invalid experiment name: '${name}'`);
  if (pyLength(name) > LIMITS.maxExperimentNameLength) {
    throw invalidParameter(`Experiment name exceeds the maximum length of ${LIMITS.maxExperimentNameLength} characters`);
  }
}
