import { z } from "zod";
import { contentText, estimateTokens, type ChatMessage } from "./chat";

/**
 * Per-request model choice, part one: routing rules on a function (`[[functions.F.routing]]`),
 * tried in order before the weighted draw; the first whose conditions all hold picks the variant.
 * Conditions: the request's input size (estimated tokens of its messages and variables), its tags,
 * and an explicit hint (`llmops.hint`, header `x-llmops-hint`, native `hint`). A routed inference
 * is tagged `llmops.route` with the rule's name, so the log tells routed from drawn traffic.
 */
export const routeRuleSchema = z
  .strictObject({
    /** Recorded in the `llmops.route` tag; default `rule-<n>` (1-based). */
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .optional(),
    variant: z.string().min(1),
    min_input_tokens: z.number().int().min(0).optional(),
    max_input_tokens: z.number().int().min(0).optional(),
    /** Every tag listed must be on the request with this value. */
    tags: z.record(z.string().min(1), z.string()).optional(),
    hint: z.string().min(1).max(200).optional(),
  })
  .refine((r) => r.min_input_tokens !== undefined || r.max_input_tokens !== undefined || r.tags !== undefined || r.hint !== undefined, {
    message: "a routing rule needs a condition: min_input_tokens, max_input_tokens, tags or hint",
  });
export type RouteRule = z.infer<typeof routeRuleSchema>;

export interface RouteRequest {
  messages: ChatMessage[];
  variables?: Record<string, unknown>;
  tags?: Record<string, string>;
  hint?: string;
}

/** Estimated input tokens of a request before its prompt is rendered (about 4 characters a token). */
export function inputTokens(request: RouteRequest): number {
  const text = request.messages.map((m) => contentText(m.content ?? "")).join("\n");
  return estimateTokens(text) + (request.variables ? estimateTokens(JSON.stringify(request.variables)) : 0);
}

/** The first rule that matches, with its name; undefined: draw by weight. */
export function routeVariant(rules: RouteRule[], request: RouteRequest): { variant: string; rule: string } | undefined {
  let tokens: number | undefined;
  for (const [i, rule] of rules.entries()) {
    if (rule.hint !== undefined && rule.hint !== request.hint) continue;
    if (rule.tags && !Object.entries(rule.tags).every(([k, v]) => request.tags?.[k] === v)) continue;
    if (rule.min_input_tokens !== undefined || rule.max_input_tokens !== undefined) {
      tokens ??= inputTokens(request);
      if (rule.min_input_tokens !== undefined && tokens < rule.min_input_tokens) continue;
      if (rule.max_input_tokens !== undefined && tokens > rule.max_input_tokens) continue;
    }
    return { variant: rule.variant, rule: rule.name ?? `rule-${i + 1}` };
  }
  return undefined;
}

export const ROUTE_TAG = "llmops.route";
