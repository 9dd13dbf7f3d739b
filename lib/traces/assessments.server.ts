import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { uuidAt } from "@/lib/gateway/ids";
import { insertFeedback } from "@/lib/inference/store.server";
import { FEEDBACK_TAGS, toClickHouseTime, type FeedbackKind, type FeedbackRow } from "@/lib/inference/tables";
import { notFound, invalidParameter } from "@/lib/stores/mlflow-errors";
import { toMlflowTraceId, traceHexToUuid } from "./ids";
import { getLinkedInferences } from "./store.server";
import { formatTimestamp } from "./wire";

/**
 * MLflow assessments (feedback and expectations on a trace or one of its spans) stored as this
 * app's feedback rows (target_type `trace`), so the variants and A/B pages count them beside the
 * gateway's feedback: booleans and numbers as boolean/float metrics, other values as comments,
 * expectations as demonstrations. The whole assessment rides in the `mlflow.assessment` tag; an
 * update writes a new row and deletes the older ones, so each assessment is one row.
 */
export const ASSESSMENT_ID_TAG = "mlflow.assessment_id";
export const ASSESSMENT_TAG = "mlflow.assessment";
const SOURCE_TYPES = ["SOURCE_TYPE_UNSPECIFIED", "HUMAN", "LLM_JUDGE", "CODE"] as const;

const valueSchema = z.unknown();
export const assessmentInput = z.object({
  assessment_id: z.string().optional(),
  assessment_name: z.string().min(1, "assessment_name is required"),
  trace_id: z.string().optional(),
  span_id: z.string().optional(),
  source: z.object({ source_type: z.enum(SOURCE_TYPES).optional(), source_id: z.string().optional() }).optional(),
  create_time: z.string().optional(),
  last_update_time: z.string().optional(),
  feedback: z
    .object({
      value: valueSchema.optional(),
      error: z
        .object({ error_code: z.string().optional(), error_message: z.string().optional(), stack_trace: z.string().optional() })
        .optional(),
    })
    .optional(),
  expectation: z
    .object({
      value: valueSchema.optional(),
      serialized_value: z.object({ serialization_format: z.string().optional(), value: z.string().optional() }).optional(),
    })
    .optional(),
  rationale: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  overrides: z.string().optional(),
  valid: z.boolean().optional(),
  run_id: z.string().optional(),
});
export type AssessmentInput = z.output<typeof assessmentInput>;
export type WireAssessment = AssessmentInput & { assessment_id: string; trace_id: string; create_time: string; last_update_time: string };

/** The feedback kind and value an assessment is counted as on the app's pages. */
export function feedbackOf(a: AssessmentInput): { kind: FeedbackKind; value: number; text: string } {
  if (a.expectation) {
    const v = a.expectation.value ?? a.expectation.serialized_value?.value ?? null;
    return { kind: "demonstration", value: 0, text: typeof v === "string" ? v : JSON.stringify(v) };
  }
  const v = a.feedback?.value;
  if (typeof v === "boolean") return { kind: "boolean", value: v ? 1 : 0, text: a.rationale ?? "" };
  if (typeof v === "number" && Number.isFinite(v)) return { kind: "float", value: v, text: a.rationale ?? "" };
  return {
    kind: "comment",
    value: 0,
    text: typeof v === "string" ? v : v === undefined ? (a.feedback?.error?.error_message ?? "") : JSON.stringify(v),
  };
}

const SOURCE_TAGS: Record<string, string> = { HUMAN: "human", LLM_JUDGE: "llm_judge", CODE: "code" };
const sourceTag = (a: AssessmentInput) => SOURCE_TAGS[a.source?.source_type ?? ""] ?? "api";

function toRow(
  traceHex: string,
  a: WireAssessment,
  link: { function_name: string; variant_name: string } | undefined,
  now: Date,
): FeedbackRow {
  const { kind, value, text } = feedbackOf(a);
  const tags: Record<string, string> = {
    [FEEDBACK_TAGS.source]: sourceTag(a),
    [ASSESSMENT_ID_TAG]: a.assessment_id,
    [ASSESSMENT_TAG]: JSON.stringify(a),
    "mlflow.trace_id": a.trace_id,
  };
  if (a.source?.source_id) tags[FEEDBACK_TAGS.reviewer] = a.source.source_id;
  if (a.span_id) tags["mlflow.span_id"] = a.span_id;
  if (a.run_id) tags["mlflow.run_id"] = a.run_id;
  return {
    id: uuidAt(now.getTime()),
    target_type: "trace",
    target_id: traceHexToUuid(traceHex),
    function_name: link?.function_name ?? "",
    variant_name: link?.variant_name ?? "",
    metric_name: a.assessment_name,
    kind,
    value,
    text,
    tags,
    timestamp: toClickHouseTime(now),
  };
}

const storedSchema = z.object({ id: z.string(), assessment_id: z.string(), body: z.string() });

/** Assessments of these traces, each at its latest version, oldest first. */
export async function listAssessments(client: ClickHouseClient, traceHexes: string[]): Promise<Map<string, WireAssessment[]>> {
  const out = new Map<string, WireAssessment[]>(traceHexes.map((t) => [t, []]));
  if (traceHexes.length === 0) return out;
  const result = await client.query({
    query: `SELECT toString(id) AS id, tags[{idTag:String}] AS assessment_id, tags[{bodyTag:String}] AS body
      FROM feedback
      WHERE id IN (SELECT id FROM feedback_by_target WHERE target_id IN {targets:Array(UUID)}) AND target_type = 'trace'
      ORDER BY timestamp DESC, id DESC LIMIT 1 BY assessment_id`,
    query_params: { idTag: ASSESSMENT_ID_TAG, bodyTag: ASSESSMENT_TAG, targets: traceHexes.map(traceHexToUuid) },
    format: "JSON",
  });
  const rows = storedSchema.array().parse((await result.json()).data);
  const byTrace = new Map(traceHexes.map((t) => [toMlflowTraceId(t), t]));
  for (const row of rows.reverse()) {
    const a = JSON.parse(row.body) as WireAssessment;
    const hex = byTrace.get(a.trace_id);
    if (hex) out.get(hex)?.push(a);
  }
  return out;
}

async function findOrThrow(client: ClickHouseClient, traceHex: string, assessmentId: string): Promise<WireAssessment> {
  const found = (await listAssessments(client, [traceHex])).get(traceHex)?.find((a) => a.assessment_id === assessmentId);
  if (!found) throw notFound(`Assessment with ID '${assessmentId}' not found for trace '${toMlflowTraceId(traceHex)}'.`);
  return found;
}

async function write(client: ClickHouseClient, traceHex: string, a: WireAssessment, now: Date): Promise<void> {
  const [link] = await getLinkedInferences(client, [traceHex]);
  const row = toRow(traceHex, a, link, now);
  await insertFeedback(client, [row]);
  await deleteRows(client, traceHex, a.assessment_id, row.id);
}

async function deleteRows(client: ClickHouseClient, traceHex: string, assessmentId: string, keep?: string): Promise<void> {
  const ids = `SELECT id FROM feedback WHERE id IN (SELECT id FROM feedback_by_target WHERE target_id = {target:UUID})
    AND tags[{idTag:String}] = {aid:String}${keep ? " AND id != {keep:UUID}" : ""}`;
  const params = { target: traceHexToUuid(traceHex), idTag: ASSESSMENT_ID_TAG, aid: assessmentId, keep: keep ?? "" };
  const result = await client.query({ query: ids, query_params: params, format: "JSON" });
  const stale = z
    .object({ id: z.string() })
    .array()
    .parse((await result.json()).data)
    .map((r) => r.id);
  if (stale.length === 0) return;
  for (const table of ["feedback", "feedback_by_target"]) {
    await client.command({ query: `DELETE FROM {table:Identifier} WHERE id IN {ids:Array(UUID)}`, query_params: { table, ids: stale } });
  }
}

export async function createAssessment(client: ClickHouseClient, traceHex: string, input: AssessmentInput): Promise<WireAssessment> {
  if (!input.feedback && !input.expectation) throw invalidParameter("An assessment must have either a feedback or an expectation value.");
  if (input.feedback && input.expectation) throw invalidParameter("An assessment cannot have both a feedback and an expectation value.");
  const now = new Date();
  const time = formatTimestamp(BigInt(now.getTime()) * 1_000_000n);
  const a: WireAssessment = {
    ...input,
    assessment_id: `a-${uuidAt(now.getTime()).replaceAll("-", "")}`,
    trace_id: toMlflowTraceId(traceHex),
    source: input.source ?? { source_type: "CODE", source_id: "default" },
    create_time: input.create_time ?? time,
    last_update_time: input.last_update_time ?? time,
    valid: input.valid ?? true,
  };
  if (a.overrides) {
    const old = await findOrThrow(client, traceHex, a.overrides);
    await write(client, traceHex, { ...old, valid: false, last_update_time: time }, now);
  }
  await write(client, traceHex, a, now);
  return a;
}

export async function getAssessment(client: ClickHouseClient, traceHex: string, assessmentId: string): Promise<WireAssessment> {
  return findOrThrow(client, traceHex, assessmentId);
}

const UPDATABLE = ["assessment_name", "expectation", "feedback", "rationale", "metadata", "valid", "span_id"] as const;

/** Applies the fields named in `updateMask` (comma-separated, protobuf FieldMask JSON) from `patch`. */
export async function updateAssessment(
  client: ClickHouseClient,
  traceHex: string,
  assessmentId: string,
  patch: Partial<AssessmentInput>,
  updateMask: string,
): Promise<WireAssessment> {
  const old = await findOrThrow(client, traceHex, assessmentId);
  // FieldMask's JSON form camelCases its paths (`assessmentName`); accept both spellings.
  const paths = updateMask
    .split(",")
    .map((p) => p.trim().replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
    .filter(Boolean);
  if (paths.length === 0) throw invalidParameter("update_mask must name at least one field to update.");
  const next: WireAssessment = { ...old };
  for (const path of paths) {
    const field = UPDATABLE.find((f) => f === path.split(".")[0]);
    if (!field) throw invalidParameter(`Field '${path}' of an assessment cannot be updated. Updatable fields: ${UPDATABLE.join(", ")}.`);
    Object.assign(next, { [field]: patch[field] });
    if (field === "feedback") delete next.expectation;
    if (field === "expectation") delete next.feedback;
  }
  const now = new Date();
  next.last_update_time = formatTimestamp(BigInt(now.getTime()) * 1_000_000n);
  await write(client, traceHex, next, now);
  return next;
}

export async function deleteAssessment(client: ClickHouseClient, traceHex: string, assessmentId: string): Promise<void> {
  await findOrThrow(client, traceHex, assessmentId);
  await deleteRows(client, traceHex, assessmentId);
}
