import "server-only";
import type { DemoSeeder } from "@/lib/demo/types";
import { claimNext, submitLabels } from "./claims.server";
import { saveDataset } from "./datasets.server";
import { createQueue } from "./queues.server";
import type { LabellingContext } from "./sql.server";

/**
 * The demo's labelling: one queue over a reproducible sample of the demo's inferences, with
 * overlap 2 so agreement shows, half labelled by two demo reviewers, and a dataset saved from it.
 * It runs after the gateway's seeder (which writes the inferences) and uses the same services as
 * the API; its feedback is tagged `llmops.source=demo`.
 */
export const DEMO_QUEUE_NAME = "Demo review";
const SAMPLE = 24;
const LABELLED = 12;

/** A reviewer's deterministic opinion of an item: mostly agreeing, sometimes not. */
function opinion(inferenceId: string, reviewer: number): { helpful: boolean; quality: number } {
  const h = parseInt(inferenceId.replace(/-/g, "").slice(-6), 16);
  const base = h % 5 !== 0;
  const disagree = reviewer === 1 && h % 7 === 0;
  const quality = 1 + ((h >> 3) % 5);
  // The second reviewer is a notch stricter now and then.
  const stricter = reviewer === 1 && (h >> 5) % 3 === 0 && quality > 1;
  return { helpful: disagree ? !base : base, quality: stricter ? quality - 1 : quality };
}

export async function seedLabellingDemo(ctx: LabellingContext, log: (message: string) => void): Promise<void> {
  const queue = await createQueue(ctx, {
    name: DEMO_QUEUE_NAME,
    description: "A random sample of the demo's inferences, labelled twice each to measure agreement.",
    sample: { size: SAMPLE, seed: 1 },
    fields: [
      // The gateway's declared metric, so the demo's labels show in the variants and A/B pages.
      { key: "helpful", type: "boolean", metric: "helpful" },
      { key: "quality", type: "score" },
      { key: "note", type: "comment" },
      { key: "fix", type: "correction" },
    ],
    overlap: 2,
  });
  const reviewers = ["demo-ann", "demo-bob"];
  for (const [index, reviewer] of reviewers.entries()) {
    let { item } = await claimNext(ctx, { queueId: queue.id, reviewer });
    for (let n = 0; item && n < LABELLED; n++) {
      const { helpful, quality } = opinion(item.inferenceId, index);
      const values = { helpful, quality, ...(helpful ? {} : { note: "Misses the point of the question." }) };
      const takeNext = n + 1 < LABELLED;
      ({ item } = await submitLabels(ctx, { queueId: queue.id, claimId: item.claimId, reviewer, values, source: "demo", takeNext }));
    }
  }
  const version = await saveDataset(ctx, { queueId: queue.id, name: "demo-golden" });
  log(
    `labelling: queue "${queue.name}" (${queue.itemCount} items), dataset ${version.name} v${version.version} (${version.itemCount} items)`,
  );
}

export const labellingDemoSeeder: DemoSeeder = {
  key: "labelling",
  run: (stores, log) => seedLabellingDemo({ db: stores.postgres.db, clickhouse: stores.clickhouse.client }, log),
};
