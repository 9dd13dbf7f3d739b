import type { Interval } from "./fixed-horizon";

/**
 * How an effect and its interval are written, in one place, so a headline and a table built from
 * the same numbers read the same. Every text names its unit and the kind of interval.
 * - `pp`: a difference of rates in percentage points, clipped to [−100, +100] (all a rate allows);
 * - `relative`: a difference of means as a share of the control's mean (the control taken as given);
 * - `absolute`: a difference of means in the metric's own units (the control's mean is zero);
 * - `lift`: a relative lift t/c − 1 with its own interval (guardrails), never below −100%.
 */
export type EffectScale = "pp" | "relative" | "absolute" | "lift";

export interface EffectText {
  scale: EffectScale;
  /** "+29.9%", "−25.0 pp". */
  point: string;
  /** "[+0.2%, +59.7%]", or null without an interval. */
  interval: string | null;
  /** What the number is: "difference, % of the control's mean". */
  unit: string;
}

export const UNIT_LABEL: Record<EffectScale, string> = {
  pp: "difference in percentage points",
  relative: "difference, % of the control's mean",
  absolute: "difference in the metric's units",
  lift: "relative lift",
};

/** "95% always-valid interval" (open design, guardrails) or "95% repeated confidence interval" (planned design). */
export function intervalKind(design: "open" | "planned", alpha = 0.05): string {
  const level = `${Number(((1 - alpha) * 100).toFixed(1))}%`;
  return design === "planned" ? `${level} repeated confidence interval` : `${level} always-valid interval`;
}

const MINUS = "−";
const signed = (x: number, digits: number, suffix: string) => {
  const rounded = Number(Math.abs(x).toFixed(digits));
  const sign = rounded === 0 ? "" : x < 0 ? MINUS : "+";
  const body = rounded >= 1000 ? Math.round(rounded).toLocaleString("en") : rounded.toFixed(digits);
  return `${sign}${body}${suffix}`;
};
const digitsFor = (x: number) => (Math.abs(x) >= 100 ? 0 : 1);

/** The scale a difference is shown on: rates in pp, means relative to a non-zero control, else absolute. */
export function scaleOf(type: "float" | "boolean", controlEstimate: number | null): EffectScale {
  if (type === "boolean") return "pp";
  return controlEstimate !== null && controlEstimate !== 0 && Number.isFinite(controlEstimate) ? "relative" : "absolute";
}

/** Writes a difference (treatment − control) or, for `lift`, a lift, with its interval. */
export function effectText(scale: EffectScale, effect: number, ci: Interval | null, controlEstimate: number | null = null): EffectText {
  let f: (x: number) => string;
  let bounds = ci;
  switch (scale) {
    case "pp":
      f = (x) => signed(x * 100, 1, " pp");
      bounds = ci ? [Math.max(-1, ci[0]), Math.min(1, ci[1])] : null;
      break;
    case "relative": {
      const scaleBy = 100 / Math.abs(controlEstimate ?? 1);
      f = (x) => signed(x * scaleBy, digitsFor(x * scaleBy), "%");
      break;
    }
    case "lift":
      f = (x) => signed(x * 100, digitsFor(x * 100), "%");
      bounds = ci ? [Math.max(-1, ci[0]), ci[1]] : null;
      break;
    case "absolute":
      f = (x) => {
        const p = Number(Math.abs(x).toPrecision(3));
        return `${p === 0 ? "" : x < 0 ? MINUS : "+"}${p}`;
      };
      break;
  }
  const finite = bounds && Number.isFinite(bounds[0]) && Number.isFinite(bounds[1]);
  return { scale, point: f(effect), interval: finite && bounds ? `[${f(bounds[0])}, ${f(bounds[1])}]` : null, unit: UNIT_LABEL[scale] };
}

/** One line: "+29.9% (difference, % of the control's mean), 95% always-valid interval [+0.2%, +59.7%]". */
export function effectSentence(text: EffectText, kind: string): string {
  const what = text.scale === "pp" ? "" : ` (${text.unit})`;
  return text.interval ? `${text.point}${what}, ${kind} ${text.interval}` : `${text.point}${what}`;
}
