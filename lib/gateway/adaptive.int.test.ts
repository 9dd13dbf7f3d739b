import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "./demo.server";
import { openTestStores, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";
import { toClickHouseTime, type FeedbackRow } from "@/lib/inference/tables";
import { virtualClock } from "./providers/types";

// Adaptive allocation through the real inference path: yesterday's feedback in ClickHouse sets
// today's weights (track-and-stop, lib/analytics/allocation.ts); a variant far behind keeps only
// its floor. The gateway reads the weights from the data, not from its own memory.
const CONFIG = `
[providers.echo]
type = "dummy"
latency_ms = 0
ttft_ms = 0
[models.m]
routing = [{ provider = "echo" }]
[functions.pick.variants.a]
model = "m"
user = "A {{q}}"
[functions.pick.variants.b]
model = "m"
user = "B {{q}}"
[functions.pick.variants.c]
model = "m"
user = "C {{q}}"
[functions.pick.adaptive]
metric = "helpful"
floor = 0.02
min_samples = 50
[functions.fixed.variants.a]
model = "m"
user = "A {{q}}"
[functions.fixed.variants.b]
model = "m"
user = "B {{q}}"
[metrics.helpful]
type = "boolean"
`;

const TODAY = Date.parse("2026-11-21T00:00:00Z");

describe("adaptive allocation in the gateway", () => {
  let env: TestStores;
  let gw: TestGateway;
  beforeAll(async () => {
    env = await openTestStores();
    const rows: FeedbackRow[] = [];
    const rates: Record<string, number> = { a: 0.1, b: 0.8, c: 0.82 };
    for (const [variant, rate] of Object.entries(rates)) {
      for (let i = 0; i < 400; i++) {
        rows.push({
          id: crypto.randomUUID(),
          target_type: "inference",
          target_id: crypto.randomUUID(),
          function_name: "pick",
          variant_name: variant,
          metric_name: "helpful",
          kind: "boolean",
          value: i < rate * 400 ? 1 : 0,
          text: "",
          tags: {},
          timestamp: toClickHouseTime(new Date(TODAY - 12 * 3_600_000 + i * 1000)),
        });
      }
    }
    await env.stores.clickhouse.client.insert({ table: "feedback", values: rows, format: "JSONEachRow" });
    gw = await startTestGateway(env.stores, CONFIG, { random: seededRandom(9) });
  });
  afterAll(async () => {
    await gw?.close();
    await env?.cleanup();
  });

  const draw = async (functionName: string, at: number) => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 300; i++) {
      const result = await gw.gateway.infer(
        { functionName, variables: { q: String(i) }, dryrun: true },
        { signal: new AbortController().signal, clock: virtualClock(at + i) },
      );
      counts[result.variantName] = (counts[result.variantName] ?? 0) + 1;
    }
    return counts;
  };

  it("sends a variant far behind little more than its floor, the contenders the rest", async () => {
    const today = await draw("pick", TODAY + 9 * 3_600_000);
    expect(today.a ?? 0).toBeLessThan(20);
    expect(today.b).toBeGreaterThan(100);
    expect(today.c).toBeGreaterThan(100);
  });

  it("keeps the configured weights before any feedback, and for functions without adaptive allocation", async () => {
    const yesterday = await draw("pick", TODAY - 20 * 3_600_000);
    for (const v of ["a", "b", "c"]) expect(yesterday[v]).toBeGreaterThan(60);
    const fixed = await draw("fixed", TODAY + 9 * 3_600_000);
    for (const v of ["a", "b"]) expect(fixed[v]).toBeGreaterThan(110);
  });
});
