import { copyFile, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toClickHouseTime, type InferenceRow, type ModelCallRow } from "@/lib/inference/tables";
import { uuidAt } from "./ids";
import { Recorder } from "./recorder.server";
import { Spool } from "./spool.server";
import { openTestStores, rows, type TestStores } from "./testing/harness";

/**
 * The spool on a real ClickHouse (chDB, or the server fixture in int-http): rows left by an
 * instance that died are taken over and replayed at the next start, and a replay never writes a
 * row twice (rows already written are found by id first; chDB's tables are not Replicated, so
 * insert deduplication would not catch them).
 */
const host = hostname().replace(/[^A-Za-z0-9-]/g, "_");

function inference(i: number): { inference: InferenceRow; call: ModelCallRow } {
  const id = uuidAt(Date.now());
  const timestamp = toClickHouseTime(new Date());
  const common = { function_name: "f", variant_name: "v", model_name: "m", provider_name: "echo", status: "ok" as const, error: "" };
  return {
    inference: {
      ...common,
      id,
      episode_id: id,
      prompt_version: "",
      input: JSON.stringify({ i }),
      output: "{}",
      input_tokens: 1,
      output_tokens: 1,
      cost: 0,
      latency_ms: 1,
      ttft_ms: null,
      cached: false,
      streamed: false,
      tags: {},
      timestamp,
    },
    call: {
      ...common,
      id: uuidAt(Date.now()),
      inference_id: id,
      attempt: 0,
      request: "{}",
      response: "{}",
      input_tokens: 1,
      output_tokens: 1,
      cost: 0,
      latency_ms: 1,
      ttft_ms: null,
      timestamp,
    },
  };
}

const options = { batchSize: 1000, flushMs: 60_000, maxBufferedRows: 10_000 };

describe("the recorder's spool", () => {
  let env: TestStores;
  let dir: string;
  const count = async (table: string) => Number((await rows<{ n: string }>(env.stores, `SELECT count() AS n FROM ${table}`))[0]!.n);
  beforeAll(async () => {
    env = await openTestStores();
    dir = await mkdtemp(path.join(tmpdir(), "llmops-spool-test-"));
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  it("replays a dead instance's spool once: rows it had written are found, the others written", async () => {
    const spool = new Spool({ dir, instanceId: "first", fsyncMs: 50 });
    const recorder = new Recorder(env.stores.clickhouse.client, { ...options, spool });
    const batch = Array.from({ length: 30 }, (_, i) => inference(i));
    for (const r of batch.slice(0, 20)) recorder.recordAll({ inferences: [r.inference], model_calls: [r.call] });
    // What a crash would leave behind: the spool file holding 20 inferences, all of which get written…
    const [first] = await readdir(dir);
    const crashed = path.join(dir, `${host}.999999999.dead.00000001.spool`);
    await copyFile(path.join(dir, first!), crashed);
    await recorder.flush();
    expect(await count("inferences")).toBe(20);
    // …and 10 more it had spooled but not written when it died.
    for (const r of batch.slice(20)) recorder.recordAll({ inferences: [r.inference], model_calls: [r.call] });
    spool.rotate();
    const [second] = (await readdir(dir)).filter((f) => f.includes(".first."));
    await copyFile(path.join(dir, second!), path.join(dir, `${host}.999999999.dead.00000002.spool`));
    // A torn last line (power loss mid-write) is skipped.
    await writeFile(path.join(dir, `${host}.999999999.dead.00000003.spool`), 'inferences\tx\t{"id":');

    const next = new Spool({ dir, instanceId: "second", fsyncMs: 50 });
    const replaying = new Recorder(env.stores.clickhouse.client, { ...options, spool: next });
    expect(replaying.stats().replayed).toBe(60);
    await replaying.flush();
    expect(await count("inferences")).toBe(30);
    expect(await count("model_calls")).toBe(30);
    expect(replaying.stats()).toMatchObject({ written: 20, replayedDuplicates: 40 });
    expect(next.stats()).toMatchObject({ files: 0, corruptLines: 1 });
    // Replayed files are deleted once settled; the first recorder's own file (alive, in this process) is left alone.
    expect((await readdir(dir)).filter((f) => f.includes("dead"))).toEqual([]);
    expect(await readdir(dir)).toContain(second);
    next.close();
    spool.close();
  });

  it("leaves the spool files of a live instance alone", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "llmops-spool-test-"));
    const live = `${host}.${process.ppid}.other.00000001.spool`;
    const { inference: row } = inference(0);
    await writeFile(path.join(dir, live), `inferences\t${row.id}\t${JSON.stringify(row)}\n`);
    const spool = new Spool({ dir, instanceId: "third", fsyncMs: 50 });
    const recorder = new Recorder(env.stores.clickhouse.client, { ...options, spool });
    expect(recorder.stats().replayed).toBe(0);
    expect(await readdir(dir)).toContain(live);
    spool.close();
  });
});

describe("a flush called while another is under way", () => {
  let env: TestStores;
  beforeAll(async () => {
    env = await openTestStores();
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  it("writes the rows that came after the first one began, and counts rows in flight as unwritten", async () => {
    const count = async () => Number((await rows<{ n: string }>(env.stores, "SELECT count() AS n FROM inferences"))[0]!.n);
    const recorder = new Recorder(env.stores.clickhouse.client, options);
    const first = inference(0);
    recorder.recordAll({ inferences: [first.inference], model_calls: [first.call] });
    const underWay = recorder.flush();
    // The first flush has taken its rows out of the buffer and is inserting them.
    expect(recorder.stats()).toMatchObject({ buffered: 1, sending: 1 });
    const second = inference(1);
    recorder.recordAll({ inferences: [second.inference], model_calls: [second.call] });
    await recorder.flush();
    expect(await count()).toBe(2);
    expect(recorder.stats()).toMatchObject({ buffered: 0, sending: 0, written: 4 });
    await underWay;
  });
});
