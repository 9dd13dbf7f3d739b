import "server-only";
import { and, count, eq } from "drizzle-orm";
import { datasets, runInputs } from "@/db/schema";
import type { TrackingContext } from "@/lib/tracking/context";

/** A logged dataset (name, digest, source, schema, profile) and how many runs used it, or undefined. */
export async function loadDataset(ctx: TrackingContext, experimentId: number, datasetUuid: string) {
  const [row] = await ctx.db
    .select()
    .from(datasets)
    .where(and(eq(datasets.datasetUuid, datasetUuid), eq(datasets.experimentId, experimentId)));
  if (!row) return undefined;
  const [used] = await ctx.db.select({ n: count() }).from(runInputs).where(eq(runInputs.datasetUuid, datasetUuid));
  return { ...row, runCount: Number(used?.n ?? 0) };
}
