import { afterAll, beforeAll, expect, it } from "vitest";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { insertTestInferences } from "@/db/test/inferences";
import { postgresBackends, type TestPostgres } from "@/db/test/postgres";
import { getDatasetVersions } from "@/lib/datasets/store.server";
import { DEMO_QUEUE_NAME, seedLabellingDemo } from "./demo.server";
import { getQueueDetail, listQueues } from "./queues.server";

let ch: TestClickHouse;
let pg: TestPostgres;
beforeAll(async () => {
  ch = await openTestClickHouse();
  pg = await postgresBackends[0]!.open();
  await insertTestInferences(ch.store.client, { count: 60 });
});
afterAll(async () => {
  await pg?.cleanup();
  await ch?.cleanup();
});

it("seeds one overlapped queue with labels from two reviewers, their agreement and a dataset", async () => {
  const ctx = { db: pg.store.db, clickhouse: ch.store.client };
  const messages: string[] = [];
  await seedLabellingDemo(ctx, (m) => messages.push(m));
  const [queue] = await listQueues(ctx);
  expect(queue).toMatchObject({ name: DEMO_QUEUE_NAME, itemCount: 24, overlap: 2, doneItems: 12, doneLabels: 24 });
  const detail = await getQueueDetail(ctx, queue!.id);
  expect(detail.perReviewer.map((r) => [r.reviewer, r.done, r.active])).toEqual([
    ["demo-ann", 12, 0],
    ["demo-bob", 12, 0],
  ]);
  expect(detail.agreement.map((a) => [a.field, a.method, a.items])).toEqual([
    ["helpful", "cohen", 12],
    ["quality", "cohen", 12],
  ]);
  const [version] = await getDatasetVersions(ctx, "demo-golden");
  expect(version!.itemCount).toBeGreaterThan(0);
  expect(messages[0]).toMatch(/queue "Demo review" \(24 items\), dataset demo-golden v1/);
  const tags = await ch.store.client.query({ query: "SELECT DISTINCT tags['llmops.source'] AS s FROM feedback", format: "JSONEachRow" });
  expect(await tags.json()).toEqual([{ s: "demo" }]);
});
