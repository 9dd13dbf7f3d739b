import { z } from "zod";
import { real } from "@/lib/clickhouse/columns";

/**
 * Latency and TTFT percentiles come from log-scale histograms (0004: bin b holds values that
 * round to 1.03^b ms): p-th percentile = centre of the first bin whose running count exceeds p of
 * the total (the rank quantileExact uses), within 1.5% of the exact value. The raw log is binned
 * the same way, so a tag-filtered view agrees with the rollups.
 */
export const bin = (column: string) => `map(toUInt16(round(log(greatest(${column}, 1)) / log(1.03))), toUInt64(1))`;
/** A histogram's bins as [centre in ms, count] pairs. */
export const binCounts = (histogram: string) => `arrayMap((b, k) -> (pow(1.03, b), k), mapKeys(${histogram}), mapValues(${histogram}))`;
export const percentiles = (histogram: string) =>
  `arrayMap(q -> pow(1.03, mapKeys(mapSort(${histogram}))[arrayFirstIndex(c -> c > q * arraySum(mapValues(${histogram})), arrayCumSum(mapValues(mapSort(${histogram}))))]), [0.5, 0.95, 0.99])`;

/** The [p50, p95, p99] a `percentiles` column gives ([] when there is no data). */
export const quantiles = z
  .array(real)
  .nullable()
  .transform((q) => q ?? []);

export const finite = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
