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

/** What decides the verdict, in a few words. */
export function designLabel(report: AbReport): string {
  if (report.design.kind === "open") return "open design: always-valid sequential test (mSPRT), stop any time";
  const look = report.looks;
  const horizon = report.design.looks ?? 0;
  const where = look > horizon ? `past the horizon: looks after ${horizon} are not tested` : `look ${look} of ${horizon}`;
  return `planned design: ${horizon} daily looks with O'Brien–Fleming alpha spending (${where})`;
}

/** An absolute effect in the metric's units, with its size relative to the control: "2.0 pp (+3.3%)". */
export function formatEffectSize(effect: number | null, report: AbReport): string {
  if (effect === null) return "—";
  const boolean = report.metric.type === "boolean";
  const control = report.variants.find((v) => v.isControl)?.estimate ?? null;
  const abs = boolean ? `${(effect * 100).toFixed(1)} pp` : Number(effect.toPrecision(3)).toString();
  return control ? `${abs} (${((100 * effect) / Math.abs(control)).toFixed(1)}%)` : abs;
}

/** Days as "about 12 days", "less than a day" or "—". */
export function formatDays(days: number | null): string {
  if (days === null) return "—";
  if (days === 0) return "decided";
  if (days < 1) return "less than a day";
  return `about ${Math.ceil(days)} day${Math.ceil(days) === 1 ? "" : "s"}`;
}

/** Boundaries above this are left out of the chart (the first looks' are huge). */
export const BOUNDARY_CHART_MAX = 6;

/** |z| of each treatment against its boundary, look by look (planned design). */
export function boundarySeries(report: AbReport): Series[] {
  return report.variants
    .filter((v) => !v.isControl && v.path.length > 0)
    .flatMap((v) => [
      { key: `z:${v.name}`, label: `|z| ${v.name}`, points: v.path.map((p) => ({ x: p.look, y: Math.abs(p.z) })) },
      {
        key: `c:${v.name}`,
        label: `boundary ${v.name}`,
        points: v.path.map((p) => ({ x: p.look, y: p.boundary !== null && p.boundary <= BOUNDARY_CHART_MAX ? p.boundary : null })),
      },
    ]);
}

/** Each variant's share of traffic per day (adaptive allocation). */
export function weightSeries(report: AbReport): Series[] {
  const names = [...new Set(report.allocation.history.map((h) => h.variant))];
  return names.map((name) => ({
    key: name,
    label: name,
    points: report.allocation.history.filter((h) => h.variant === name).map((h) => ({ x: h.day, y: h.weight })),
  }));
}
