/**
 * The function page's guardrail figures, from rows grouped by (guardrail, stage, outcome): one line
 * per guardrail and stage with its counts per outcome, their shares (what the bar draws) and the
 * check's time. Pure, so the shares and the missing outcomes (zero, not absent) are unit-tested.
 */

export const OUTCOMES = ["pass", "flagged", "redacted", "blocked", "error"] as const;
export type OutcomeName = (typeof OUTCOMES)[number];

export interface VerdictCountRow {
  name: string;
  kind: string;
  stage: string;
  mode: string;
  outcome: string;
  n: number;
  p50_ms: number;
  p95_ms: number;
}

export interface GuardrailLine {
  name: string;
  kind: string;
  stage: string;
  mode: string;
  checks: number;
  counts: Record<OutcomeName, number>;
  /** Share of checks per outcome, 0..1; they sum to 1 when there were checks. */
  shares: Record<OutcomeName, number>;
  /** The slowest outcome group's median and 95th percentile, in ms (an upper bound of the line's). */
  p50Ms: number;
  p95Ms: number;
}

const zero = (): Record<OutcomeName, number> => ({ pass: 0, flagged: 0, redacted: 0, blocked: 0, error: 0 });

export function summariseVerdicts(rows: VerdictCountRow[]): GuardrailLine[] {
  const lines = new Map<string, GuardrailLine>();
  for (const r of rows) {
    const key = `${r.name}\u0000${r.stage}`;
    let line = lines.get(key);
    if (!line) {
      line = { name: r.name, kind: r.kind, stage: r.stage, mode: r.mode, checks: 0, counts: zero(), shares: zero(), p50Ms: 0, p95Ms: 0 };
      lines.set(key, line);
    }
    const outcome = (OUTCOMES as readonly string[]).includes(r.outcome) ? (r.outcome as OutcomeName) : "error";
    line.counts[outcome] += r.n;
    line.checks += r.n;
    line.p50Ms = Math.max(line.p50Ms, r.p50_ms);
    line.p95Ms = Math.max(line.p95Ms, r.p95_ms);
  }
  for (const line of lines.values()) for (const o of OUTCOMES) line.shares[o] = line.checks ? line.counts[o] / line.checks : 0;
  return [...lines.values()].sort((a, b) => a.name.localeCompare(b.name) || a.stage.localeCompare(b.stage));
}
