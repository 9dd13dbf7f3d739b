import { z } from "zod";
import { FEEDBACK_OPS, type FeedbackOp } from "@/lib/inference/filter";
import { decodeCursor } from "./cursor";
import { withRange } from "./range";

/** Query string of the inference browser, shared by the page (URL state) and GET /api/inferences. */
export const PAGE_SIZE = 50;

const name = z.string().min(1).max(200).optional();

export const inferenceListQuery = withRange({
  function: name,
  variant: name,
  model: name,
  status: z.enum(["ok", "error"]).optional(),
  /** The end user the client named in OpenAI's `user` parameter. */
  user: z.string().min(1).max(256).optional(),
  /** Text in the input or output (lib/inference/filter.ts `text`); no control characters. */
  q: z
    .string()
    .min(1)
    .max(200)
    // eslint-disable-next-line no-control-regex
    .refine((t) => !/[\u0000-\u001f\u007f]/.test(t), "`q` may not hold control characters")
    .optional(),
  metric: name,
  op: z.enum(Object.keys(FEEDBACK_OPS) as [FeedbackOp, ...FeedbackOp[]]).default("gte"),
  value: z.coerce.number().finite().optional(),
  cursor: z
    .string()
    .max(500)
    .optional()
    .refine((c) => c === undefined || decodeCursor(c) !== undefined, "`cursor` is not a cursor from a previous page"),
}).superRefine((v, ctx) => {
  if ((v.metric === undefined) !== (v.value === undefined))
    ctx.addIssue({ code: "custom", path: ["value"], message: "a feedback filter needs both `metric` and `value`" });
});
export type InferenceListQuery = z.output<typeof inferenceListQuery>;

export const inferenceIdParam = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "an inference id is a UUID");
