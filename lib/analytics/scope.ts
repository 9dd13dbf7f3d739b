import type { ResolvedRange, TagFilter } from "./range";
import type { RangeInfo } from "./schemas";

/** What a function page's series are about: one function over a resolved range, maybe tag-filtered. */
export interface SeriesScope {
  functionName: string;
  range: ResolvedRange;
  tags?: TagFilter[];
}

export const rangeInfo = (scope: SeriesScope, asOf = Date.now()): RangeInfo => ({
  asOf,
  from: scope.range.from,
  to: scope.range.to,
  bucketSeconds: scope.range.bucket.seconds,
  source: scope.tags?.length ? "raw" : scope.range.rollup === "1h" ? "rollup_1h" : "rollup_1m",
});
