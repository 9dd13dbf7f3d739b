import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import type { InferenceLogFilter } from "@/lib/inference/filter";
import { countInferences as countMatching, selectInferenceSnapshots } from "@/lib/inference/list.server";
import { LIMITS, type InferenceFilter } from "./schemas";

/**
 * Picks the inferences of a queue from the gateway's log, through lib/inference's filter and
 * reads. A sample orders by `cityHash64(id, seed)`, so the same seed over the same data gives the
 * same sample (and a shuffled labelling order); otherwise items come oldest first.
 */

export interface SelectedInference {
  id: string;
  episode_id: string;
  function_name: string;
  variant_name: string;
  model_name: string;
  input: string;
  output: string;
  timestamp: string;
}

/** A queue's filter as the log's: only answered inferences unless errors are asked for. */
export function logFilter(filter: InferenceFilter): InferenceLogFilter {
  return {
    status: filter.includeErrors ? undefined : "ok",
    functionName: filter.function,
    variantName: filter.variant,
    from: filter.from ? Date.parse(filter.from) : undefined,
    to: filter.to ? Date.parse(filter.to) : undefined,
    tags: Object.entries(filter.tags ?? {}).map(([key, value]) => ({ key, value })),
    missingFeedback: filter.missingFeedback,
  };
}

export function countInferences(client: ClickHouseClient, filter: InferenceFilter): Promise<number> {
  return countMatching(client, logFilter(filter));
}

export async function selectInferences(
  client: ClickHouseClient,
  filter: InferenceFilter,
  options: { sample?: { size: number; seed?: number }; limit: number },
): Promise<SelectedInference[]> {
  const found = await selectInferenceSnapshots(client, logFilter(filter), { ...options, maxChars: LIMITS.maxSnapshotChars });
  return found.map(({ input_snapshot, output_snapshot, ...rest }) => ({ ...rest, input: input_snapshot, output: output_snapshot }));
}
