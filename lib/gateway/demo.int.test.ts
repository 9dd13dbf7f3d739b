import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "./config";
import { seedGatewayDemo } from "./demo.server";
import { openTestStores, rows, type TestStores } from "./testing/harness";

describe("the gateway's demo seeder", () => {
  let env: TestStores;
  beforeAll(async () => {
    env = await openTestStores();
  });
  afterAll(async () => env?.cleanup());

  it("drives two weeks of traffic and feedback through the gateway, with a winner on one metric only", async () => {
    const now = Date.now();
    const started = Date.now();
    const result = await seedGatewayDemo(env.stores, parseConfig(readFileSync("llmops.toml", "utf8")), () => undefined, now);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(result.inferences).toBeGreaterThan(2000);

    const [span] = await rows<{ n: number; days: number; errors: number; cached: number; episodes: number; fns: number }>(
      env.stores,
      `SELECT count() AS n, dateDiff('day', min(timestamp), max(timestamp)) AS days, countIf(status = 'error') AS errors,
              countIf(cached) AS cached, uniqExact(episode_id) AS episodes, uniqExact(function_name) AS fns FROM inferences`,
    );
    expect(Number(span!.n)).toBe(result.inferences);
    expect(Number(span!.days)).toBeGreaterThanOrEqual(12);
    expect(Number(span!.errors)).toBeGreaterThan(0);
    expect(Number(span!.cached)).toBeGreaterThan(0);
    expect(Number(span!.fns)).toBe(3);
    const [embeddings] = await rows<{ n: number; cached: number; cost: number }>(
      env.stores,
      "SELECT count() AS n, countIf(cached) AS cached, sum(cost) AS cost FROM inferences WHERE function_name = 'llmops::embedding'",
    );
    expect(Number(embeddings!.n)).toBeGreaterThan(100);
    expect(Number(embeddings!.cached)).toBeGreaterThan(0);
    expect(Number(embeddings!.cost)).toBeGreaterThan(0);
    expect(Number(span!.episodes)).toBeLessThan(Number(span!.n));
    const [fallbacks] = await rows<{ n: number }>(env.stores, "SELECT count() AS n FROM model_calls WHERE status = 'error'");
    expect(Number(fallbacks!.n)).toBeGreaterThan(0);

    const helpful = await rows<{ variant_name: string; rate: number; n: number }>(
      env.stores,
      `SELECT variant_name, avg(value) AS rate, count() AS n FROM feedback WHERE metric_name = 'helpful' AND function_name = 'summarize' GROUP BY variant_name ORDER BY variant_name`,
    );
    const rate = Object.fromEntries(helpful.map((h) => [h.variant_name, Number(h.rate)]));
    expect(rate.detailed! - rate.concise!).toBeGreaterThan(0.08);
    const [episodeFeedback] = await rows<{ n: number }>(
      env.stores,
      "SELECT count() AS n FROM feedback WHERE metric_name = 'resolved' AND target_type = 'episode'",
    );
    expect(Number(episodeFeedback!.n)).toBeGreaterThan(100);
    const styles = await rows<{ style: string; n: number }>(
      env.stores,
      "SELECT tags['style'] AS style, count() AS n FROM inferences WHERE function_name = 'reply' GROUP BY style ORDER BY style",
    );
    expect(styles.map((s) => s.style)).toEqual(["plain", "variables"]);
    const [plain] = await rows<{ input: string }>(
      env.stores,
      "SELECT input FROM inferences WHERE function_name = 'reply' AND tags['style'] = 'plain' AND status = 'ok' ORDER BY length(input) DESC LIMIT 1",
    );
    const input = JSON.parse(plain!.input) as { messages: { role: string }[]; variables?: unknown };
    expect(input.variables).toBeUndefined();
    expect(input.messages.map((m) => m.role).slice(0, 3)).toEqual(["user", "assistant", "user"]);
    const [sources] = await rows<{ n: number }>(env.stores, "SELECT countIf(tags['llmops.source'] != 'demo') AS n FROM feedback");
    expect(Number(sources!.n)).toBe(0);
  });
});
