import { z } from "zod";
import { datasetName } from "@/lib/datasets/schemas";
import { CLICKHOUSE_TIME_MESSAGE, isClickHouseTime } from "@/lib/inference/tables";

/**
 * The labelling API's shapes, shared by route handlers, services and the client pages (no
 * server imports here). Every write boundary parses with these.
 */

export const LABEL_FIELD_TYPES = ["boolean", "score", "category", "comment", "correction"] as const;
export type LabelFieldType = (typeof LABEL_FIELD_TYPES)[number];

/** Limits, with the messages that name them. */
export const LIMITS = {
  maxItems: 10_000,
  maxFields: 10,
  maxOverlap: 10,
  maxCategories: 12,
  maxTextLength: 20_000,
  /** Snapshot bound per input/output shown to reviewers; the full text stays in ClickHouse. */
  maxSnapshotChars: 50_000,
} as const;

const key = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, "use 1–40 lowercase letters, digits or _ , starting with a letter");
const metricName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/, "use 1–100 letters, digits, _ . : or -");
const reviewerName = z.string().trim().min(1, "enter a name").max(80, "at most 80 characters");

export const labelFieldInput = z
  .object({
    key,
    label: z.string().trim().max(80).optional(),
    type: z.enum(LABEL_FIELD_TYPES),
    /** The feedback metric the labels are written under; derived from the queue and key when absent. */
    metric: metricName.optional(),
    options: z.array(z.string().trim().min(1).max(40)).max(LIMITS.maxCategories).optional(),
    required: z.boolean().optional(),
  })
  .superRefine((field, ctx) => {
    if (field.type === "category") {
      const options = field.options ?? [];
      if (options.length < 2) ctx.addIssue({ code: "custom", path: ["options"], message: "a category field needs at least 2 options" });
      if (new Set(options).size !== options.length)
        ctx.addIssue({ code: "custom", path: ["options"], message: "options must be distinct" });
    } else if (field.options?.length) {
      ctx.addIssue({ code: "custom", path: ["options"], message: `only category fields take options, not ${field.type}` });
    }
  });
export type LabelFieldInput = z.infer<typeof labelFieldInput>;

export const labelField = z.object({
  key: z.string(),
  label: z.string(),
  type: z.enum(LABEL_FIELD_TYPES),
  metric: z.string(),
  options: z.array(z.string()).optional(),
  required: z.boolean(),
});
export type LabelField = z.infer<typeof labelField>;

const time = z.iso
  .datetime({ offset: true, message: "use an ISO time such as 2026-11-23T10:00:00Z" })
  .refine((s) => isClickHouseTime(Date.parse(s)), CLICKHOUSE_TIME_MESSAGE);

export const inferenceFilter = z
  .object({
    function: z.string().trim().min(1).max(200).optional(),
    variant: z.string().trim().min(1).max(200).optional(),
    from: time.optional(),
    to: time.optional(),
    /** Every tag must match exactly. */
    tags: z.record(z.string().min(1).max(100), z.string().max(500)).optional(),
    /** Only inferences without any feedback for this metric. */
    missingFeedback: metricName.optional(),
    /** Include failed inferences (off: only those with status "ok", which have an output to judge). */
    includeErrors: z.boolean().optional(),
  })
  .refine((f) => !f.from || !f.to || Date.parse(f.from) < Date.parse(f.to), { message: "from must be before to", path: ["to"] });
export type InferenceFilter = z.infer<typeof inferenceFilter>;

export const sampleSpec = z.object({
  size: z.number().int().min(1).max(LIMITS.maxItems, `a sample holds at most ${LIMITS.maxItems} items`),
  /** Same seed and same data, same sample. */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
});

export const createQueueInput = z
  .object({
    name: z.string().trim().min(1, "enter a name").max(100),
    description: z.string().trim().max(1000).optional(),
    filter: inferenceFilter.default({}),
    sample: sampleSpec.optional(),
    fields: z.array(labelFieldInput).min(1, "choose at least one label field").max(LIMITS.maxFields),
    overlap: z.number().int().min(1).max(LIMITS.maxOverlap).default(1),
    reviewers: z.array(reviewerName).max(100).default([]),
    claimTimeoutSeconds: z.number().int().min(10).max(86_400).default(600),
    blind: z.boolean().default(true),
  })
  .superRefine((q, ctx) => {
    const keys = q.fields.map((f) => f.key);
    if (new Set(keys).size !== keys.length) ctx.addIssue({ code: "custom", path: ["fields"], message: "field keys must be distinct" });
    const reviewers = new Set(q.reviewers);
    if (reviewers.size > 0 && reviewers.size < q.overlap) {
      ctx.addIssue({ code: "custom", path: ["reviewers"], message: `an overlap of ${q.overlap} needs at least ${q.overlap} reviewers` });
    }
  });
export type CreateQueueInput = z.input<typeof createQueueInput>;

export const previewInput = z.object({ filter: inferenceFilter.default({}), sample: sampleSpec.optional() });

export const labelValue = z.union([z.boolean(), z.number(), z.string()]);
export type LabelValue = z.infer<typeof labelValue>;

export const queueSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  source: z.record(z.string(), z.unknown()),
  fields: z.array(labelField),
  overlap: z.number(),
  reviewers: z.array(z.string()),
  claimTimeoutSeconds: z.number(),
  blind: z.boolean(),
  itemCount: z.number(),
  createdAt: z.number(),
  /** Items labelled by `overlap` reviewers. */
  doneItems: z.number(),
  /** Labels given (completed claims). */
  doneLabels: z.number(),
});
export type QueueSummary = z.infer<typeof queueSummary>;

export const agreementResult = z.object({
  field: z.string(),
  method: z.enum(["cohen", "fleiss"]),
  kappa: z.number().nullable(),
  items: z.number(),
  raters: z.number(),
  observed: z.number().nullable(),
  expected: z.number().nullable(),
});
export type AgreementResult = z.infer<typeof agreementResult>;

export const queueDetail = queueSummary.extend({
  perReviewer: z.array(z.object({ reviewer: z.string(), done: z.number(), skipped: z.number(), active: z.number() })),
  agreement: z.array(agreementResult),
  /** The latest labelled items (one row per reviewer and item), newest first. */
  recent: z.array(
    z.object({
      claimId: z.number(),
      inferenceId: z.string(),
      position: z.number(),
      reviewer: z.string(),
      completedAt: z.number(),
      values: z.record(z.string(), labelValue),
    }),
  ),
});
export type QueueDetail = z.infer<typeof queueDetail>;

export const reviewItem = z.object({
  claimId: z.number(),
  itemId: z.number(),
  position: z.number(),
  inferenceId: z.string(),
  /** Absent when the queue is blind. */
  functionName: z.string(),
  variantName: z.string().optional(),
  modelName: z.string().optional(),
  input: z.string(),
  output: z.string(),
  inferenceTime: z.string(),
  expiresAt: z.number(),
  status: z.enum(["active", "done", "skipped", "expired"]),
  /** The reviewer's labels on this item, when going back to one already done. */
  values: z.record(z.string(), labelValue),
});
export type ReviewItem = z.infer<typeof reviewItem>;

export const progress = z.object({
  total: z.number(),
  doneItems: z.number(),
  doneLabels: z.number(),
  mine: z.number(),
});
export type Progress = z.infer<typeof progress>;

export const nextResponse = z.object({ item: reviewItem.nullable(), progress });
export type NextResponse = z.infer<typeof nextResponse>;

export const reviewerInput = z.object({ reviewer: reviewerName.optional() });
export const submitLabelsInput = reviewerInput.extend({ values: z.record(z.string(), labelValue) });
export const backInput = reviewerInput.extend({ before: z.number().int().optional() });

export const REVIEWER_COOKIE = "llmops_reviewer";
export { reviewerName };

export { datasetName } from "@/lib/datasets/schemas";

export const saveDatasetInput = z.object({
  queueId: z.string().min(1),
  name: datasetName,
  /** Which field says an item's own output is good (default: the first boolean, else score ≥ 4). */
  good: z.object({ field: z.string().min(1), min: z.number().int().min(1).max(5).optional() }).optional(),
});
