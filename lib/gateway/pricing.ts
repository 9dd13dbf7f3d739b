/**
 * Prices in US dollars per million tokens: input, output, and cached input (prompt tokens the
 * provider served from its prompt cache, billed lower). A model's `price` in llmops.toml wins;
 * without one, the bundled table below prices it by its upstream name (the first route's `model`,
 * else the model's own name), a date suffix (`-2024-08-06`, `-20241022`) or `-latest` ignored.
 * A model found in neither costs 0.
 *
 * The table is a snapshot of the providers' public list prices (standard tier, text tokens) as of
 * PRICE_TABLE_DATE; prices change, so set `price` in the config for anything you bill on.
 */
export const PRICE_TABLE_DATE = "2025-11-01";

export interface Price {
  input: number;
  output: number;
  /** Defaults to `input` when the provider has no discount. */
  cached_input?: number;
}

export type PriceSource = "config" | "table" | "none";

const p = (input: number, output: number, cached_input?: number): Price => ({
  input,
  output,
  ...(cached_input !== undefined ? { cached_input } : {}),
});

/** Bundled list prices, USD per million tokens (PRICE_TABLE_DATE). */
export const PRICE_TABLE: Readonly<Record<string, Price>> = {
  // OpenAI
  "gpt-5": p(1.25, 10, 0.125),
  "gpt-5-mini": p(0.25, 2, 0.025),
  "gpt-5-nano": p(0.05, 0.4, 0.005),
  "gpt-4.1": p(2, 8, 0.5),
  "gpt-4.1-mini": p(0.4, 1.6, 0.1),
  "gpt-4.1-nano": p(0.1, 0.4, 0.025),
  "gpt-4o": p(2.5, 10, 1.25),
  "gpt-4o-mini": p(0.15, 0.6, 0.075),
  "gpt-4-turbo": p(10, 30),
  "gpt-3.5-turbo": p(0.5, 1.5),
  o1: p(15, 60, 7.5),
  "o1-mini": p(1.1, 4.4, 0.55),
  o3: p(2, 8, 0.5),
  "o3-mini": p(1.1, 4.4, 0.55),
  "o4-mini": p(1.1, 4.4, 0.275),
  "text-embedding-3-small": p(0.02, 0),
  "text-embedding-3-large": p(0.13, 0),
  "text-embedding-ada-002": p(0.1, 0),
  // Anthropic (cached input = cache reads)
  "claude-opus-4-5": p(5, 25, 0.5),
  "claude-opus-4-1": p(15, 75, 1.5),
  "claude-opus-4": p(15, 75, 1.5),
  "claude-sonnet-4-5": p(3, 15, 0.3),
  "claude-sonnet-4": p(3, 15, 0.3),
  "claude-3-7-sonnet": p(3, 15, 0.3),
  "claude-3-5-sonnet": p(3, 15, 0.3),
  "claude-haiku-4-5": p(1, 5, 0.1),
  "claude-3-5-haiku": p(0.8, 4, 0.08),
  "claude-3-haiku": p(0.25, 1.25, 0.03),
};

const SUFFIX = /(-latest|-\d{4}-\d{2}-\d{2}|-\d{8})$/;

/** The bundled price of an upstream model name, if the table has it. */
export function tablePrice(upstreamName: string): Price | undefined {
  const name = upstreamName.toLowerCase().replace(/^.*\//, "");
  return PRICE_TABLE[name] ?? PRICE_TABLE[name.replace(SUFFIX, "")];
}

export interface TokenCounts {
  input_tokens: number;
  output_tokens: number;
  /** Of input_tokens, those read from the provider's prompt cache. */
  cached_input_tokens?: number;
}

/** USD for a call's tokens at a price. */
export function costAt(price: Price, usage: TokenCounts): number {
  const cached = Math.min(usage.cached_input_tokens ?? 0, usage.input_tokens);
  return (
    ((usage.input_tokens - cached) * price.input + cached * (price.cached_input ?? price.input) + usage.output_tokens * price.output) /
    1_000_000
  );
}

/** The `x-llmops-cost-usd` header's text: up to 10 decimals, no exponent. */
export const costHeader = (usd: number): string => usd.toFixed(10).replace(/\.?0+$/, "");
