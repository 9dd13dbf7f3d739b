import type { Series } from "@/lib/charts/series";
import type { AbReport, AbVariant } from "./ab";

/** Display helpers of the A/B page, kept pure for tests. */
export const VERDICT_TONE = { winner: "success", loser: "danger", inconclusive: "warning", collecting: "neutral" } as const;

/** The headline's tone: that of the best verdict, or a warning when a ratio check failed. */
export function headlineTone(report: AbReport): "success" | "danger" | "warning" | "neutral" {
  if (report.srm?.mismatch || report.trafficSrm?.mismatch) return "warning";
  const ranked = ["winner", "loser", "inconclusive", "collecting"] as const;
  const best = ranked.find((status) => report.variants.some((v) => v.verdict === status));
  return best ? VERDICT_TONE[best] : "neutral";
}

/** Cumulative estimate per variant at the end of each day: how the comparison developed. */
export function historySeries(report: AbReport): Series[] {
  const names = report.variants.map((v) => v.name);
  return names.map((name) => ({
    key: name,
    label: name,
    points: report.history.filter((h) => h.variant === name).map((h) => ({ x: h.day, y: h.estimate })),
  }));
}

/** "0.612 [0.598, 0.626]" or "61.2% [59.8, 62.6]" for rates. */
export function formatEstimate(value: number | null, low: number | null, high: number | null, boolean: boolean): string {
  if (value === null) return "—";
  const f = (x: number) => (boolean ? (x * 100).toFixed(1) : Number(x.toPrecision(4)).toString());
  const point = boolean ? `${f(value)}%` : f(value);
  return low === null || high === null ? point : `${point} [${f(low)}, ${f(high)}]`;
}

/** Difference in the metric's units (percentage points for rates), with its interval. */
export function formatDiff(
  v: Pick<AbVariant, "diff" | "diffCiLow" | "diffCiHigh">,
  boolean: boolean,
  which: "fixed" | "sequential" = "fixed",
  seq?: { low: number | null; high: number | null },
): string {
  if (v.diff === null) return "—";
  const low = which === "fixed" ? v.diffCiLow : (seq?.low ?? null);
  const high = which === "fixed" ? v.diffCiHigh : (seq?.high ?? null);
  const f = (x: number) => (boolean ? `${(x * 100).toFixed(1)}` : Number(x.toPrecision(3)).toString());
  const sign = v.diff >= 0 ? "+" : "−";
  const point = `${sign}${f(Math.abs(v.diff))}${boolean ? " pp" : ""}`;
  return low === null || high === null ? point : `${point} [${f(low)}, ${f(high)}]`;
}

export function formatP(p: number | null): string {
  if (p === null) return "—";
  return p < 0.0001 ? "< 0.0001" : p.toFixed(4);
}
