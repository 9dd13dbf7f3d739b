import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { NotFoundError } from "@/lib/http/errors";
import { modelCallTotals } from "@/lib/inference/lookups.server";

/**
 * What an inference cost, from its recorded model calls (every attempt, retries and fallbacks
 * included). The gateway records off the request path, so a cost asked for right after the
 * inference may not be written yet: `flush` writes this process's buffer first, and rows still in
 * another server's buffer are waited for (up to `waitMs`).
 */
export async function inferenceCost(
  client: ClickHouseClient,
  inferenceId: string,
  options: { flush?: () => Promise<void>; waitMs?: number } = {},
): Promise<{ inference_id: string; cost: number; model_calls: number }> {
  await options.flush?.().catch(() => undefined);
  const until = Date.now() + (options.waitMs ?? 3000);
  for (let pause = 50; ; pause = Math.min(pause * 2, 400)) {
    const totals = await modelCallTotals(client, inferenceId);
    if (totals.calls > 0) return { inference_id: inferenceId, cost: totals.cost, model_calls: totals.calls };
    if (Date.now() >= until)
      throw new NotFoundError(`No recorded model call for inference ${inferenceId} (cached answers cost nothing and have none)`);
    await new Promise((r) => setTimeout(r, pause));
  }
}
