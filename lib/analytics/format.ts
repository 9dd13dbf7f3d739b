/** Times on the analytics pages: UTC, written the same on the server and in the browser (no hydration drift). */
export function formatUtc(ms: number, withSeconds = false): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, withSeconds ? 19 : 16)} UTC`;
}

/** Short axis label for a bucket start, precise enough for the bucket size. */
export function axisTime(bucketSeconds: number): (ms: number) => string {
  return (ms) => {
    const iso = new Date(ms).toISOString();
    return bucketSeconds >= 86_400 ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  };
}

/** "-3.2%" style relative change, or an em dash. */
export function formatPercentChange(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(digits)}%`;
}
