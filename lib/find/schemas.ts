import { z } from "zod";

/** Search everywhere (the Ctrl/Cmd+K palette): what GET /api/search takes and answers. */

export const FIND_KINDS = ["inference", "function", "variant", "prompt", "model", "experiment", "run", "dataset", "queue"] as const;
export type FindKind = (typeof FIND_KINDS)[number];

export const FIND_KIND_LABELS: Record<FindKind, string> = {
  inference: "Inference",
  function: "Function",
  variant: "Variant",
  prompt: "Prompt",
  model: "Model",
  experiment: "Experiment",
  run: "Run",
  dataset: "Dataset",
  queue: "Labelling queue",
};

/** Results per kind: enough to pick from, bounded so one query stays cheap. */
export const PER_KIND = 5;

export const findQuery = z.object({
  q: z.string().trim().min(1, "`q` needs at least one character").max(200),
});

export const findResult = z.object({
  kind: z.enum(FIND_KINDS),
  label: z.string(),
  /** Context shown beside the label: the experiment of a run, a description. */
  detail: z.string(),
  href: z.string(),
});
export type FindResult = z.output<typeof findResult>;

export const findReply = z.object({ q: z.string(), results: z.array(findResult) });
export type FindReply = z.output<typeof findReply>;

export const findApiUrl = (q: string) => `/api/search?${new URLSearchParams({ q }).toString()}`;
