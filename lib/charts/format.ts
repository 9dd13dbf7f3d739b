/** Unit-aware number formatting shared by axes, tooltips and tables. */
export type Unit = "count" | "ms" | "s" | "percent" | "usd" | "tokens" | "ratio" | "none";

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

export function formatValue(value: number | null | undefined, unit: Unit = "none"): string {
  if (value === null || value === undefined) return "—";
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  switch (unit) {
    case "count":
    case "tokens":
      return Math.abs(value) >= 10_000 ? compact.format(value) : Math.round(value).toLocaleString("en");
    case "ms":
      return Math.abs(value) >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
    case "s":
      return `${value.toFixed(value < 10 ? 2 : 1)} s`;
    case "percent":
      return `${(value * 100).toFixed(Math.abs(value) < 0.1 ? 2 : 1)}%`;
    case "usd":
      if (Math.abs(value) < 0.01 && value !== 0) return `$${value.toPrecision(2)}`;
      // Cents unless they would merge distinct values (axis ticks $0.0125 and $0.01 both read "$0.01").
      return Number(value.toFixed(2)) === Number(value.toPrecision(3)) ? `$${value.toFixed(2)}` : `$${Number(value.toPrecision(3))}`;
    case "ratio":
    case "none":
      return formatPlain(value);
  }
}

function formatPlain(value: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}
