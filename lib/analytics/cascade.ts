/**
 * A cascade variant's figures on the function page: how often it escalated, what it cost, and what
 * it saved against sending every request to its strongest model. The comparison prices each
 * inference's recorded tokens (those of the answer kept) at the strongest model's price: for an
 * escalated inference that is what the strong call cost; for one the cheap model answered, an
 * estimate of what the strong model would have cost for the same exchange.
 */
export interface CascadeRow {
  variant: string;
  inferences: number;
  escalated: number;
  cost: number;
  inputTokens: number;
  outputTokens: number;
}

export interface CascadeSummary {
  variant: string;
  models: string[];
  inferences: number;
  escalated: number;
  escalationRate: number | null;
  cost: number;
  strongestCost: number;
  saved: number;
}

type Price = { input: number; output: number };

export function summariseCascades(
  rows: CascadeRow[],
  cascades: Record<string, { model: string; models: string[] }>,
  prices: Record<string, Price>,
): CascadeSummary[] {
  return Object.entries(cascades)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([variant, c]) => {
      const row = rows.find((r) => r.variant === variant) ?? { inferences: 0, escalated: 0, cost: 0, inputTokens: 0, outputTokens: 0 };
      const strongest = prices[c.models.at(-1) ?? c.model] ?? { input: 0, output: 0 };
      const strongestCost = (row.inputTokens * strongest.input + row.outputTokens * strongest.output) / 1e6;
      return {
        variant,
        models: [c.model, ...c.models],
        inferences: row.inferences,
        escalated: row.escalated,
        escalationRate: row.inferences > 0 ? row.escalated / row.inferences : null,
        cost: row.cost,
        strongestCost,
        saved: strongestCost - row.cost,
      };
    });
}
