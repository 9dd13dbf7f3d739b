import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { insertTestInferences } from "@/db/test/inferences";
import { postgresBackends, type TestPostgres } from "@/db/test/postgres";
import { labelItems } from "@/db/schema";
import { insertFeedback } from "@/lib/inference/store.server";
import { toClickHouseTime } from "@/lib/inference/tables";
import { eq } from "drizzle-orm";
import { createQueue, listQueues, previewQueue } from "./queues.server";
import type { LabellingContext } from "./sql.server";

const fields = [{ key: "ok", type: "boolean" as const }];
let ch: TestClickHouse;
let ids: string[];

beforeAll(async () => {
  ch = await openTestClickHouse();
  const rows = await insertTestInferences(ch.store.client, {
    count: 10_010,
    functionName: "bulk",
    start: new Date("2026-10-01T00:00:00Z"),
  });
  ids = rows.map((r) => r.id);
  await insertTestInferences(ch.store.client, {
    count: 20,
    functionName: "chat",
    variants: ["a", "b"],
    tags: { user: "u1" },
    idPrefix: "0193a5b1",
  });
  await insertFeedback(
    ch.store.client,
    ids.slice(0, 3).map((id, i) => ({
      id: `0193a5b2-0000-7000-8000-00000000000${i}`,
      target_type: "inference" as const,
      target_id: id,
      function_name: "bulk",
      variant_name: "concise",
      metric_name: "ok",
      kind: "boolean" as const,
      value: 1,
      text: "",
      tags: {},
      timestamp: toClickHouseTime(new Date()),
    })),
  );
});
afterAll(() => ch?.cleanup());

describe.each(postgresBackends)("queue creation on $name", (backend) => {
  let pg: TestPostgres;
  let ctx: LabellingContext;
  beforeAll(async () => {
    pg = await backend.open();
    ctx = { db: pg.store.db, clickhouse: ch.store.client };
  });
  afterAll(() => pg?.cleanup());

  it("refuses a filter over the cap with a message that says how to fix it, and accepts a sample of it", async () => {
    expect(await previewQueue(ctx, { filter: { function: "bulk" } })).toEqual({ matching: 10_010, items: 10_010, fits: false });
    await expect(createQueue(ctx, { name: "too-big", fields, filter: { function: "bulk" } })).rejects.toThrow(
      "The filter matches 10,010 inferences; a queue holds at most 10,000. Narrow the filter or take a random sample",
    );
    const sampled = await createQueue(ctx, { name: "sampled", fields, filter: { function: "bulk" }, sample: { size: 50, seed: 3 } });
    expect(sampled.itemCount).toBe(50);
  });

  it("draws the same random sample from the same seed, and another from another seed", async () => {
    const order = async (name: string, seed: number) => {
      const q = await createQueue(ctx, { name, fields, filter: { function: "bulk" }, sample: { size: 20, seed } });
      const items = await ctx.db
        .select({ id: labelItems.inferenceId, position: labelItems.position })
        .from(labelItems)
        .where(eq(labelItems.queueId, q.id));
      return items.sort((a, b) => a.position - b.position).map((i) => i.id);
    };
    const a = await order("seed-1a", 1);
    expect(await order("seed-1b", 1)).toEqual(a);
    expect(await order("seed-2", 2)).not.toEqual(a);
    // A sample is spread over the data, not its first rows.
    expect(a.some((id) => ids.indexOf(id) > 1000)).toBe(true);
  });

  it("filters by function, variant, time range, tags and missing feedback", async () => {
    const count = async (filter: Parameters<typeof previewQueue>[1]["filter"]) => (await previewQueue(ctx, { filter })).matching;
    expect(await count({ function: "chat", variant: "a" })).toBe(10);
    expect(await count({ function: "chat", tags: { user: "u1" } })).toBe(20);
    expect(await count({ tags: { user: "nobody" } })).toBe(0);
    expect(await count({ function: "bulk", from: "2026-10-01T00:00:00Z", to: "2026-10-01T00:00:10Z" })).toBe(10);
    expect(await count({ function: "bulk", from: "2026-10-01T00:00:00Z", to: "2026-10-01T00:00:10Z", missingFeedback: "ok" })).toBe(7);
    const q = await createQueue(ctx, {
      name: "recent-chat",
      fields,
      filter: { function: "chat", variant: "b" },
      overlap: 2,
      reviewers: ["ann", "bob"],
    });
    expect(q).toMatchObject({
      itemCount: 10,
      overlap: 2,
      reviewers: ["ann", "bob"],
      fields: [{ key: "ok", metric: "recent_chat.ok", type: "boolean", required: true }],
    });
    expect((await listQueues(ctx)).map((x) => x.name)).toContain("recent-chat");
    await expect(createQueue(ctx, { name: "recent-chat", fields, filter: { function: "chat" } })).rejects.toThrow(/exists already/);
  });
});
