import { z } from "zod";

/** Cost & usage: recorded spend grouped by one dimension. Pure shapes and folding, safe for the browser. */

export const USAGE_DIMENSIONS = ["model", "function", "variant", "day"] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];

export const usageRow = z.object({
  key: z.string(),
  requests: z.number(),
  errors: z.number(),
  cacheHits: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  /** USD as recorded on each inference (tokens × the model's price at the time; cache hits cost 0). */
  cost: z.number(),
  /** USD the cache hits would have cost at the model's configured price now. */
  cacheSavings: z.number(),
});
export type UsageRow = z.output<typeof usageRow>;

export const usageReply = z.object({
  from: z.number(),
  to: z.number(),
  by: z.enum(USAGE_DIMENSIONS),
  rows: z.array(usageRow),
  total: usageRow,
});
export type UsageReply = z.output<typeof usageReply>;

/** One group of the store's answer: a day, model, function and variant, with its sums. */
export interface UsageCell {
  day: string;
  model: string;
  fn: string;
  variant: string;
  requests: number;
  errors: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  cachedInputTokens: number;
  cachedOutputTokens: number;
}

const empty = (key: string): UsageRow => ({
  key,
  requests: 0,
  errors: 0,
  cacheHits: 0,
  inputTokens: 0,
  outputTokens: 0,
  cost: 0,
  cacheSavings: 0,
});

/** Folds cells into rows by `by` (largest cost first; days in order) and a total; `price` gives a model's USD per million tokens. */
export function foldUsage(
  cells: UsageCell[],
  by: UsageDimension,
  price: (model: string) => { input: number; output: number } | undefined,
): { rows: UsageRow[]; total: UsageRow } {
  const groups = new Map<string, UsageRow>();
  const total = empty("total");
  for (const c of cells) {
    const key = by === "model" ? c.model : by === "function" ? c.fn : by === "variant" ? `${c.fn} / ${c.variant}` : c.day;
    const row = groups.get(key) ?? empty(key);
    const p = price(c.model);
    const savings = p ? (c.cachedInputTokens * p.input + c.cachedOutputTokens * p.output) / 1_000_000 : 0;
    for (const r of [row, total]) {
      r.requests += c.requests;
      r.errors += c.errors;
      r.cacheHits += c.cacheHits;
      r.inputTokens += c.inputTokens;
      r.outputTokens += c.outputTokens;
      r.cost += c.cost;
      r.cacheSavings += savings;
    }
    groups.set(key, row);
  }
  const rows = [...groups.values()].sort((a, b) =>
    by === "day" ? a.key.localeCompare(b.key) : b.cost - a.cost || a.key.localeCompare(b.key),
  );
  return { rows, total };
}
