import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertTestInferences } from "@/db/test/inferences";
import { postgresBackends } from "@/db/test/postgres";
import { dataDeletions, labelItems } from "@/db/schema";
import { parseConfig } from "@/lib/gateway/config";
import { createGateway } from "@/lib/gateway/runtime.server";
import { openTestStores, rows, type TestStores } from "@/lib/gateway/testing/harness";
import { createQueue } from "@/lib/labelling/queues.server";
import { recordFeedbackBatch } from "@/lib/gateway/feedback.server";
import { deleteData } from "./deletion.server";
import { sweepPostgres } from "./sweep.server";
import { currentTtl, syncRetention } from "./sync.server";

const DAY = 86_400_000;

let t: TestStores;
beforeAll(async () => {
  t = await openTestStores(postgresBackends[0]);
});
afterAll(() => t?.cleanup());

const ttlConfig = (extra = "") =>
  parseConfig(`
[retention]
inferences_days = 30
feedback_days = 365
${extra}
[providers.d]
type = "dummy"
[models.m]
routing = [{ provider = "d" }]
[functions.short.variants.a]
model = "m"
[functions.short.retention]
inferences_days = 1
[functions.long.variants.a]
model = "m"
`);

describe("retention", () => {
  it("keeps ClickHouse TTL clauses in sync with the config; a forced merge removes expired rows", async () => {
    const client = t.stores.clickhouse.client;
    const changed = await syncRetention(client, ttlConfig());
    expect(changed.map((c) => c.table)).toEqual(
      expect.arrayContaining(["inferences", "inference_by_id", "feedback", "feedback_by_target"]),
    );
    const show = await rows<{ statement: string }>(t.stores, "SHOW CREATE TABLE inferences");
    expect(show[0]!.statement).toContain(
      "TTL toDateTime(timestamp) + toIntervalDay(1) WHERE function_name = 'short', toDateTime(timestamp) + toIntervalDay(30) WHERE function_name NOT IN ('short')",
    );
    // The clause is written as ClickHouse prints it back, so a second sync changes nothing.
    expect(await syncRetention(client, ttlConfig())).toEqual([]);
    expect(await currentTtl(client, "model_calls")).toBeNull();

    const now = Date.now();
    await insertTestInferences(client, { count: 2, functionName: "short", start: new Date(now - 2 * DAY), idPrefix: "0193a5b1" });
    await insertTestInferences(client, { count: 2, functionName: "short", start: new Date(now - 60_000), idPrefix: "0193a5b2" });
    await insertTestInferences(client, { count: 2, functionName: "long", start: new Date(now - 2 * DAY), idPrefix: "0193a5b3" });
    await insertTestInferences(client, { count: 2, functionName: "long", start: new Date(now - 40 * DAY), idPrefix: "0193a5b4" });
    await client.command({ query: "OPTIMIZE TABLE inferences FINAL" });
    const left = await rows<{ id: string }>(
      t.stores,
      "SELECT toString(id) AS id FROM inferences WHERE function_name IN ('short', 'long') ORDER BY id",
    );
    expect(left.map((r) => r.id.slice(0, 8))).toEqual(["0193a5b2", "0193a5b2", "0193a5b3", "0193a5b3"]);

    // Taking retention out removes the TTL.
    const removed = await syncRetention(client, parseConfig(""));
    expect(removed.find((c) => c.table === "inferences")?.action).toBe("remove");
    expect(await currentTtl(client, "inferences")).toBeNull();
  });

  it("deletes a user's rows across ClickHouse and Postgres, after a dry run that counts them", async () => {
    const gateway = await createGateway(
      t.stores,
      parseConfig(`
[recorder]
flush_ms = 50
[providers.d]
type = "dummy"
latency_ms = 0
[models.m]
routing = [{ provider = "d" }]
[functions.chat.variants.a]
model = "m"
[metrics.ok]
type = "boolean"
`),
    );
    const signal = new AbortController().signal;
    const made = await Promise.all(
      ["u1", "u1", "u1", "u2", "u2"].map((user) =>
        gateway.infer({ functionName: "chat", messages: [{ role: "user", content: `hi from ${user}` }], tags: { user } }, { signal }),
      ),
    );
    await gateway.recorder.flush();
    const ctx = { db: t.stores.postgres.db, clickhouse: t.stores.clickhouse.client };
    await recordFeedbackBatch({ clickhouse: ctx.clickhouse, config: gateway.config }, [
      { metric_name: "ok", inference_id: made[0]!.inferenceId, value: true },
    ]);
    await createQueue(ctx, { name: "all-chat", fields: [{ key: "good", type: "boolean" }], filter: { function: "chat" } });
    await gateway.recorder.close(5_000);

    const dry = await deleteData(ctx, { user: "u1" }, { dryRun: true, actor: "admin" });
    expect(dry.counts).toMatchObject({
      "clickhouse.inferences": 3,
      "clickhouse.model_calls": 3,
      "clickhouse.feedback": 1,
      "clickhouse.inference_by_id": 3,
      "postgres.label_items": 3,
    });
    expect((await rows<{ n: string }>(t.stores, "SELECT count() AS n FROM inferences WHERE function_name = 'chat'"))[0]!.n).toBe("5");

    const done = await deleteData(ctx, { user: "u1" }, { dryRun: false, actor: "admin" });
    expect(done.counts).toEqual(dry.counts);
    const left = await rows<{ user: string; n: string }>(
      t.stores,
      "SELECT tags['user'] AS user, count() AS n FROM inferences WHERE function_name = 'chat' GROUP BY user ORDER BY user",
    );
    expect(left).toEqual([{ user: "u2", n: "2" }]);
    const calls = await rows<{ n: string }>(t.stores, "SELECT count() AS n FROM model_calls WHERE function_name = 'chat'");
    expect(calls[0]!.n).toBe("2");
    const fb = await rows<{ n: string }>(t.stores, "SELECT count() AS n FROM feedback WHERE function_name = 'chat'");
    expect(fb[0]!.n).toBe("0");
    expect(await t.stores.postgres.db.select().from(labelItems)).toHaveLength(2);
    const audit = await t.stores.postgres.db.select().from(dataDeletions);
    expect(audit.map((a) => [a.dryRun, a.actor, a.counts["clickhouse.inferences"]])).toEqual(
      expect.arrayContaining([
        [true, "admin", 3],
        [false, "admin", 3],
      ]),
    );

    // Two days on, with labelling_days = 1, the remaining snapshots are blanked (their labels stay).
    const config = parseConfig("[retention]\nlabelling_days = 1");
    expect(await sweepPostgres(t.stores.postgres.db, config, Date.now() + 2 * DAY)).toMatchObject({ snapshots: 2 });
    const items = await t.stores.postgres.db.select().from(labelItems);
    expect(items.map((i) => [i.input, i.output])).toEqual([
      ['{"messages":[]}', '{"content":null}'],
      ['{"messages":[]}', '{"content":null}'],
    ]);
    expect(await sweepPostgres(t.stores.postgres.db, config, Date.now() + 2 * DAY)).toMatchObject({ snapshots: 0 });
  });
});
