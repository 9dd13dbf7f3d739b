/** Display helpers of the evaluation pages. */
export const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}%`);
export const num = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? "—" : x.toFixed(digits));
export const ci = (i: [number, number] | null | undefined, asPct = false) =>
  i ? `[${asPct ? pct(i[0]) : num(i[0])}, ${asPct ? pct(i[1]) : num(i[1])}]` : "—";
export const usd = (x: number | null | undefined) =>
  x === null || x === undefined ? "—" : `$${x < 0.01 ? x.toPrecision(3) : x.toFixed(4)}`;
export const when = (ms: number | null) => (ms === null ? "—" : new Date(ms).toISOString().slice(0, 16).replace("T", " "));
export const STATUS_TONE = { queued: "neutral", running: "warning", finished: "success", failed: "danger", cancelled: "neutral" } as const;
