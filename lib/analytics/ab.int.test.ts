import { createServer, type AddressInfo, type Socket } from "node:net";
import { ClickHouseLogLevel, createClient } from "@clickhouse/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { parseConfig } from "@/lib/gateway/config";
import { uuidAt } from "@/lib/gateway/ids";
import { toClickHouseTime, type FeedbackRow, type InferenceRow } from "@/lib/inference/tables";
import { clusterRobustVariance } from "@/lib/stats/clustered";
import { abDailyStats, dailyTraffic, feedbackDaily, guardrailTotals, hasMultiInferenceEpisodes } from "./ab-queries.server";
import { Allocator, assignmentTime } from "./allocation.server";
import { fromGatewayConfig } from "./catalog.server";
import { resolveRange } from "./range";
import { getAbReport } from "./service.server";

// Multi-turn episodes through the real tables (chDB, or the server at TEST_CLICKHOUSE_URL): the
// A/B query's episode sums against the same sums computed here from the rows, and the A/B report
// under a configured design, minimum effect and adaptive allocation.
const T0 = Date.parse("2026-11-20T00:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAYS = 5;

const uuid = (kind: number, n: number) => `0193a5b0-${kind.toString(16).padStart(4, "0")}-7000-8000-${n.toString(16).padStart(12, "0")}`;

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

/** An inference of model m on provider p; the fields a test cares about come in `row`. */
const inferenceRow = (
  row: Pick<InferenceRow, "id" | "episode_id" | "function_name" | "variant_name" | "cost" | "latency_ms" | "status" | "timestamp"> &
    Partial<InferenceRow>,
): InferenceRow => ({
  model_name: "m",
  provider_name: "p",
  prompt_version: "",
  input: "{}",
  output: "{}",
  input_tokens: 1,
  output_tokens: 1,
  ttft_ms: null,
  error: "",
  cached: false,
  streamed: false,
  tags: {},
  ...row,
});

const CONFIG = parseConfig(`
[providers.p]
type = "dummy"
[models.m]
routing = [{ provider = "p" }]
[functions.chat.variants.A]
model = "m"
[functions.chat.variants.B]
model = "m"
[functions.chat.experiments.helpful]
design = "planned"
looks = 10
start = "2026-11-20"
[functions.chat.adaptive]
metric = "helpful"
floor = 0.2
min_samples = 20
window_days = 3
[metrics.helpful]
type = "boolean"
mde = "10%"
`);

describe("A/B on multi-turn episodes", () => {
  let ch: TestClickHouse;
  const inferences: InferenceRow[] = [];
  const feedback: FeedbackRow[] = [];

  beforeAll(async () => {
    ch = await openTestClickHouse();
    const random = rng(5);
    let i = 0;
    let episode = 0;
    for (let d = 0; d < DAYS; d++) {
      for (const variant of ["A", "B"]) {
        for (let e = 0; e < 30; e++, episode++) {
          // An episode is helpful throughout or not at all, mostly: its turns are correlated.
          const good = random() < (variant === "A" ? 0.5 : 0.6);
          const turns = 1 + Math.floor(random() * 4);
          for (let t = 0; t < turns; t++, i++) {
            const at = T0 + d * DAY + 8 * HOUR + e * 60_000 + t * 1000;
            inferences.push(
              inferenceRow({
                id: uuid(1, i),
                episode_id: uuid(2, episode),
                function_name: "chat",
                variant_name: variant,
                // B costs 19 times as much and is three times as slow (the scorecard's guardrails).
                cost: (variant === "A" ? 0.001 : 0.019) * (1 + (i % 5) / 10),
                latency_ms: (variant === "A" ? 100 : 300) + (i % 7) * 3,
                status: i % 23 === 0 ? "error" : "ok",
                timestamp: toClickHouseTime(new Date(at)),
              }),
            );
            feedback.push({
              id: uuid(3, i),
              target_type: "inference",
              target_id: uuid(1, i),
              function_name: "chat",
              variant_name: variant,
              // Half the rows carry their episode (as the gateway writes them); the others are
              // looked up in inference_by_id, as rows written before ClickHouse 0010 are.
              ...(i % 2 === 0 ? { episode_id: uuid(2, episode) } : {}),
              metric_name: "helpful",
              kind: "boolean",
              value: random() < 0.9 === good ? 1 : 0,
              text: "",
              tags: {},
              timestamp: toClickHouseTime(new Date(at + 10 * 60_000)),
            });
          }
        }
      }
    }
    await ch.store.client.insert({ table: "inferences", values: inferences, format: "JSONEachRow" });
    await ch.store.client.insert({ table: "feedback", values: feedback, format: "JSONEachRow" });
  });
  afterAll(() => ch?.cleanup());

  it("sums each episode's values for the cluster-robust variance, as computed from the rows", async () => {
    const stats = await abDailyStats(ch.store.client, {
      functionName: "chat",
      metric: "helpful",
      level: "inference",
      from: T0,
      to: T0 + DAYS * DAY,
    });
    const episodeOf = new Map(inferences.map((r) => [r.id, { episode: r.episode_id, variant: r.variant_name }]));
    for (const variant of ["A", "B"]) {
      const byEpisode = new Map<string, { n: number; y: number }>();
      for (const f of feedback.filter((r) => r.variant_name === variant)) {
        const ep = episodeOf.get(f.target_id)!.episode;
        const c = byEpisode.get(ep) ?? { n: 0, y: 0 };
        byEpisode.set(ep, { n: c.n + 1, y: c.y + f.value });
      }
      const rows = stats.filter((s) => s.variant === variant);
      const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
      const clusters = [...byEpisode.values()];
      expect(sum((r) => r.n)).toBe(clusters.reduce((s, c) => s + c.n, 0));
      expect(sum((r) => r.clusters?.count ?? 0)).toBe(clusters.length);
      expect(sum((r) => r.clusters?.sumSq ?? 0)).toBe(clusters.reduce((s, c) => s + c.y * c.y, 0));
      expect(sum((r) => r.clusters?.crossSum ?? 0)).toBe(clusters.reduce((s, c) => s + c.n * c.y, 0));
      expect(sum((r) => r.clusters?.sizeSq ?? 0)).toBe(clusters.reduce((s, c) => s + c.n * c.n, 0));
      const total = { count: clusters.length, sumSq: 0, crossSum: 0, sizeSq: 0 };
      for (const c of clusters)
        Object.assign(total, { sumSq: total.sumSq + c.y ** 2, crossSum: total.crossSum + c.n * c.y, sizeSq: total.sizeSq + c.n ** 2 });
      expect(
        clusterRobustVariance(
          sum((r) => r.n),
          sum((r) => r.sum),
          total,
        ),
      ).toBeGreaterThan(0);
    }
  });

  it("reports the configured design, clustered by episode, with the adaptive weights the gateway uses", async () => {
    const report = await getAbReport(
      ch.store.client,
      { name: "chat", metric: "helpful", range: resolveRange(T0 - 10 * DAY, T0 + DAYS * DAY) },
      async () => fromGatewayConfig(CONFIG),
    );
    expect(report.from).toBe(T0);
    expect(report.design).toEqual({ kind: "planned", looks: 10, start: T0, configured: true });
    expect(report.mde).toEqual({ value: 0.1, relative: true });
    expect(report.clustered).toBe(true);
    const b = report.variants.find((v) => v.name === "B")!;
    expect(b.designEffect).toBeGreaterThan(1.5);
    expect(b.path).toHaveLength(DAYS);
    expect(b.verdictText).toMatch(/at look 5 of 10|boundary crossed/);
    expect(report.trafficSrm).toBeNull();
    // Observations are checked by episode: 150 per variant.
    expect(report.srm?.observed).toEqual([150, 150]);

    // Guardrails, from the raw rows: requests, cost per request and error rate per variant.
    const guard = report.scorecard.filter((r) => r.group === "guardrail");
    expect(guard.map((r) => r.key)).toEqual(["cost", "latency_p50", "latency_p95", "error_rate"]);
    for (const variant of ["A", "B"]) {
      const rows = inferences.filter((r) => r.variant_name === variant);
      const cell = (key: string) => guard.find((r) => r.key === key)!.cells.find((c) => c.variant === variant)!;
      expect(cell("cost").n).toBe(rows.length);
      expect(cell("cost").value).toBeCloseTo(rows.reduce((s, r) => s + r.cost, 0) / rows.length, 12);
      expect(cell("error_rate").value).toBeCloseTo(rows.filter((r) => r.status !== "ok").length / rows.length, 12);
    }
    expect(guard.find((r) => r.key === "cost")!.cells[1]).toMatchObject({ variant: "B", status: "worse" });
    expect(guard.find((r) => r.key === "latency_p95")!.cells[1]).toMatchObject({ variant: "B", status: "worse" });
    expect(guard.find((r) => r.key === "latency_p95")!.cells[1]!.effect).toBeGreaterThan(1.5);

    // Day by day, the weights on the page are those any gateway instance computes for that day.
    expect(report.allocation.kind).toBe("adaptive");
    const instances = [new Allocator(ch.store.client, CONFIG), new Allocator(ch.store.client, CONFIG)];
    for (let d = 0; d < DAYS; d++) {
      const day = T0 + d * DAY;
      const page = report.allocation.history.filter((h) => h.day === day);
      for (const allocator of instances) {
        const weights = await allocator.weights("chat", day + 12 * HOUR);
        for (const h of page) expect(weights?.find((w) => w.name === h.variant)?.weight).toBeCloseTo(h.weight, 12);
      }
    }
    // No data before the first day: the configured split; later days follow the feedback, above the floor.
    expect(report.allocation.history.filter((h) => h.day === T0).map((h) => h.weight)).toEqual([0.5, 0.5]);
    const moved = report.allocation.history.filter((h) => h.day === T0 + 2 * DAY);
    expect(moved.every((h) => h.weight >= 0.2 - 1e-9)).toBe(true);
    expect(moved.some((h) => h.weight !== 0.5)).toBe(true);
  });

  it("groups by the episode each feedback row carries exactly as by the one looked up in the log", async () => {
    // The same traffic under another function, every feedback row carrying its episode: no lookup.
    const ids = new Map(inferences.map((r, k) => [r.id, uuid(10, k)]));
    const carried = inferences.map((r) => ({ ...r, id: ids.get(r.id)!, function_name: "carried" }));
    await ch.store.client.insert({ table: "inferences", values: carried, format: "JSONEachRow" });
    const episodeOf = new Map(inferences.map((r) => [r.id, r.episode_id]));
    await ch.store.client.insert({
      table: "feedback",
      format: "JSONEachRow",
      values: feedback.map((f, k) => ({
        ...f,
        id: uuid(11, k),
        target_id: ids.get(f.target_id)!,
        function_name: "carried",
        episode_id: episodeOf.get(f.target_id)!,
      })),
    });
    for (const level of ["inference", "episode"] as const) {
      const scope = { metric: "helpful", level, from: T0, to: T0 + DAYS * DAY };
      const looked = await abDailyStats(ch.store.client, { ...scope, functionName: "chat" });
      const own = await abDailyStats(ch.store.client, { ...scope, functionName: "carried" });
      expect(looked.length).toBeGreaterThan(0);
      expect(own).toEqual(looked);
    }
  });

  it("skips the episode join for a function whose episodes hold one inference each", async () => {
    const solo = inferences.slice(0, 40).map((r, k) => ({ ...r, id: uuid(7, k), episode_id: uuid(8, k), function_name: "solo" }));
    await ch.store.client.insert({ table: "inferences", values: solo, format: "JSONEachRow" });
    await ch.store.client.insert({
      table: "feedback",
      format: "JSONEachRow",
      values: solo.map((r, k) => ({ ...feedback[k]!, id: uuid(9, k), target_id: r.id, function_name: "solo" })),
    });
    expect(await hasMultiInferenceEpisodes(ch.store.client, "solo", T0, T0 + DAYS * DAY)).toBe(false);
    expect(await hasMultiInferenceEpisodes(ch.store.client, "chat", T0, T0 + DAYS * DAY)).toBe(true);
    const stats = await abDailyStats(ch.store.client, {
      functionName: "solo",
      metric: "helpful",
      level: "inference",
      from: T0,
      to: T0 + DAYS * DAY,
    });
    expect(stats.reduce((s, r) => s + r.n, 0)).toBe(40);
    expect(stats.every((r) => r.clusters === undefined)).toBe(true);
  });

  it("reads feedback and requests per day from the rollups", async () => {
    const fb = await feedbackDaily(ch.store.client, "chat", "helpful", T0, T0 + DAY);
    const firstDay = feedback.filter((f) => Date.parse(`${f.timestamp.replace(" ", "T")}Z`) < T0 + DAY).length;
    expect(firstDay).toBeGreaterThan(0);
    expect(fb.reduce((s, r) => s + r.n, 0)).toBe(firstDay);
    const traffic = await dailyTraffic(ch.store.client, "chat", T0, T0 + DAYS * DAY);
    expect(traffic.reduce((s, r) => s + r.requests, 0)).toBe(inferences.length);
    expect(new Set(traffic.map((r) => r.day))).toEqual(new Set(Array.from({ length: DAYS }, (_, d) => T0 + d * DAY)));
  });

  it("draws from the configured weights when ClickHouse does not answer within the wait", async () => {
    // A server that accepts connections and never answers: a hung ClickHouse.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    // A port of its own: the int and int-http runs of this file may be at this test at once.
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    // The request would wait 30 s; the draw must not.
    const client = createClient({ url: `http://127.0.0.1:${port}`, request_timeout: 30_000, log: { level: ClickHouseLogLevel.OFF } });
    try {
      const allocator = new Allocator(client, CONFIG, { waitMs: 200 });
      const configured = [
        { name: "A", weight: 1 },
        { name: "B", weight: 1 },
      ];
      expect(await allocator.weights("chat", T0 + 3 * DAY)).toEqual(configured);
      // Still pending: the next draw does not wait for it either.
      expect(await allocator.weights("chat", T0 + 3 * DAY)).toEqual(configured);
      expect(await allocator.weights("nope", T0)).toBeUndefined();
    } finally {
      for (const socket of sockets) socket.destroy();
      await client.close();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("keeps a conversation on the weights of the day it began", () => {
    const begun = T0 + 3 * HOUR;
    expect(assignmentTime(uuidAt(begun), T0 + 30 * HOUR)).toBe(begun);
    expect(assignmentTime("not-a-uuid", 42)).toBe(42);
    expect(assignmentTime(undefined, 42)).toBe(42);
  });
});

describe("the scorecard's guardrails", () => {
  let ch: TestClickHouse;
  afterAll(() => ch?.cleanup());

  const HOURS = [T0 + 8 * HOUR, T0 + 9 * HOUR, T0 + 10 * HOUR];
  const rows: InferenceRow[] = [];
  const batch = (hour: number, n: number, offset: number, tags: Record<string, string> = {}): InferenceRow[] =>
    Array.from({ length: n }, (_, k) => {
      const i = offset + k;
      return inferenceRow({
        id: uuid(4, i),
        episode_id: uuid(4, i),
        function_name: "costs",
        variant_name: i % 3 === 0 ? "B" : "A",
        cost: 0.0001 * (1 + (i % 17)),
        latency_ms: 100 + (i % 11),
        status: i % 13 === 0 ? "error" : "ok",
        tags,
        timestamp: toClickHouseTime(new Date(hour + k * 1000)),
      });
    });
  const insert = async (values: InferenceRow[]) => {
    await ch.store.client.insert({ table: "inferences", values, format: "JSONEachRow" });
    rows.push(...values.filter((r) => !("llmops.evaluation_run" in r.tags)));
  };
  // What the rollup held for an hour rolled up before it kept squares (ClickHouse 0011).
  const forgetSquares = (hour: number) =>
    ch.store.client.command({
      query: `ALTER TABLE inference_rollup_1h UPDATE cost_sq = 0, cost_sq_rows = 0
        WHERE function_name = 'costs' AND bucket = {hour:DateTime('UTC')} SETTINGS mutations_sync = 2`,
      query_params: { hour: hour / 1000 },
    });

  beforeAll(async () => {
    ch = await openTestClickHouse();
    // Hour 1 rolled up entirely before 0011, hour 2 half before and half after, hour 3 after;
    // evaluation traffic in hour 3 is left out, as the rollup leaves it out.
    await insert(batch(HOURS[0]!, 40, 0));
    await insert(batch(HOURS[1]!, 30, 100));
    await forgetSquares(HOURS[0]!);
    await forgetSquares(HOURS[1]!);
    await insert(batch(HOURS[1]! + 30 * 60_000, 25, 200));
    await insert(batch(HOURS[2]!, 35, 300));
    await insert(batch(HOURS[2]!, 5, 400, { "llmops.evaluation_run": "r1" }));
    // An inference of hour 1 deleted on request (lib/retention) after it was rolled up: the rollup
    // still counts it, so that hour's figures all come from the raw log, none from the rollup.
    await ch.store.client.command({ query: "DELETE FROM inferences WHERE id = {id:UUID}", query_params: { id: rows[3]!.id } });
    rows.splice(3, 1);
  });

  it("come from the hourly rollup, and hours rolled up before it kept squares from the raw log, whole", async () => {
    const totals = await guardrailTotals(ch.store.client, "costs", HOURS[0]!, HOURS[2]! + HOUR);
    expect(totals.map((t) => t.variant).sort()).toEqual(["A", "B"]);
    for (const t of totals) {
      const mine = rows.filter((r) => r.variant_name === t.variant);
      expect(t.requests).toBe(mine.length);
      expect(t.errors).toBe(mine.filter((r) => r.status !== "ok").length);
      expect(t.costSum).toBeCloseTo(
        mine.reduce((s, r) => s + r.cost, 0),
        12,
      );
      expect(t.costSumSq).toBeCloseTo(
        mine.reduce((s, r) => s + r.cost * r.cost, 0),
        15,
      );
      expect(t.latency.reduce((s, [, k]) => s + k, 0)).toBe(mine.length);
    }
    // The last hour, rolled up with its squares, alone: the view squares what it rolls up.
    const last = await guardrailTotals(ch.store.client, "costs", HOURS[2]!, HOURS[2]! + HOUR);
    const lastRows = rows.filter((r) => r.timestamp >= toClickHouseTime(new Date(HOURS[2]!)));
    expect(last.reduce((s, t) => s + t.costSumSq, 0)).toBeCloseTo(
      lastRows.reduce((s, r) => s + r.cost * r.cost, 0),
      15,
    );
  });
});
