import { z } from "zod";

/** Wire and domain shapes of datasets; safe for the browser. */

/** Path segments of the datasets API and pages, which a dataset's name cannot take. */
const RESERVED_NAMES = new Set(["upload", "from-inferences", "from-promptfoo", "new"]);

export const datasetName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, "use 1–100 letters, digits, _ . or -, starting with a letter or digit")
  .refine((n) => !RESERVED_NAMES.has(n), "this name is reserved by the datasets API; choose another");

const message = z.object({ role: z.enum(["system", "user", "assistant", "tool"]), content: z.unknown() }).passthrough();

/** A gateway input: template variables and/or messages (one of them at least). */
export const itemInput = z
  .object({ variables: z.record(z.string(), z.unknown()).optional(), messages: z.array(message).optional() })
  .passthrough()
  .refine((i) => i.variables !== undefined || (i.messages?.length ?? 0) > 0, "an input needs variables or messages");
export type ItemInput = z.infer<typeof itemInput>;

/** A per-item assertion by its promptfoo name (`contains`, `not-regex`, `llm-rubric`…). */
export const assertion = z.object({
  type: z.string().min(1).max(100),
  value: z.unknown().optional(),
  threshold: z.number().optional(),
  weight: z.number().min(0).optional(),
  metric: z.string().max(200).optional(),
});
export type Assertion = z.infer<typeof assertion>;

/** An item as clients send it (snake_case, as in JSONL files and the API). */
export const newItem = z.object({
  input: itemInput,
  expected_output: z.string().nullish(),
  context: z.string().nullish(),
  assertions: z.array(assertion).max(50).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  inference_id: z.string().uuid().nullish(),
});
export type NewItem = z.infer<typeof newItem>;

export const datasetSource = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("queue"), queueId: z.string() }),
  z.object({ kind: z.literal("upload"), format: z.enum(["jsonl", "csv"]), fileName: z.string().optional() }),
  z.object({ kind: z.literal("inferences"), expected: z.enum(["output", "demonstration"]) }),
  z.object({ kind: z.literal("promptfoo") }),
  z.object({ kind: z.literal("api") }),
]);
export type DatasetSource = z.infer<typeof datasetSource>;

export const mlflowDatasetRef = z.object({
  uuid: z.string(),
  name: z.string(),
  digest: z.string(),
  source_type: z.string(),
  source: z.string(),
  schema: z.string(),
  profile: z.string(),
});

export const datasetVersionInfo = z.object({
  name: z.string(),
  version: z.number(),
  digest: z.string(),
  itemCount: z.number(),
  queueId: z.string().nullable(),
  source: datasetSource,
  createdAt: z.number(),
  existing: z.boolean(),
  mlflow: mlflowDatasetRef,
});
export type DatasetVersionInfo = z.infer<typeof datasetVersionInfo>;

export const datasetSummary = z.object({
  name: z.string(),
  versions: z.number(),
  latest: z.number(),
  items: z.number(),
  updatedAt: z.number(),
});
export type DatasetSummary = z.infer<typeof datasetSummary>;

const labelValue = z.union([z.boolean(), z.number(), z.string()]);

/** A stored item as the API returns it. */
export const datasetItem = z.object({
  position: z.number(),
  inferenceId: z.string().nullable(),
  input: z.string(),
  expectedOutput: z.string().nullable(),
  context: z.string().nullable(),
  assertions: z.array(assertion),
  tags: z.record(z.string(), z.string()),
  labels: z.record(z.string(), z.array(labelValue)),
});
export type DatasetItem = z.infer<typeof datasetItem>;

export const datasetVersion = datasetVersionInfo.extend({ items: z.array(datasetItem) });
export type DatasetVersion = z.infer<typeof datasetVersion>;

export const createVersionInput = z.object({
  name: datasetName,
  items: z.array(newItem).min(1, "a dataset version needs at least one item").max(100_000),
});
