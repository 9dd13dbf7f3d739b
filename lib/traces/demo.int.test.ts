import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStores, type TestStores } from "@/lib/gateway/testing/harness";
import { seedTracesDemo } from "./demo.server";
import { listTracePage, getTraceView } from "./dashboard.server";

describe("the demo's traces", () => {
  let env: TestStores;
  beforeAll(async () => {
    env = await openTestStores();
  });
  afterAll(async () => env?.cleanup());

  it("seeds agent conversations through the ingestion handler, linked to gateway inferences, with assessments", async () => {
    const logs: string[] = [];
    const count = await seedTracesDemo(env.stores, (m) => logs.push(m));
    expect(count).toBeGreaterThanOrEqual(40);
    const ctx = { db: env.stores.postgres.db, clickhouse: env.stores.clickhouse.client };
    const page = await listTracePage(ctx, {});
    expect(page.items).toHaveLength(50);
    const traced = await Promise.all(page.items.slice(0, 10).map((t) => getTraceView(ctx, t.traceId)));
    expect(traced.some((v) => v.inferences.length === 1 && v.spans.some((s) => s.spanId === v.inferences[0]?.spanId))).toBe(true);
    expect(page.items.every((t) => t.sessionId !== "" && t.spanCount >= 3)).toBe(true);
    expect(logs.join("\n")).toMatch(/traces: \d+ traces in 40 sessions, \d+ assessments/);
  });
});
