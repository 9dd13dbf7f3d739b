import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import type { GatewayConfig } from "@/lib/gateway/config";
import { resolveRange, toChSeconds } from "./range";
import { getUsage } from "./usage.server";

export interface Last24h {
  requests: number;
  cost: number;
  errorRate: number | null;
  feedback: number;
}

/** The overview's lead: traffic, cost, error rate and feedback received over the last 24 hours. */
export async function last24h(client: ClickHouseClient, config: GatewayConfig, now = Date.now()): Promise<Last24h> {
  const range = resolveRange(now - 86_400_000, now);
  const [usage, feedback] = await Promise.all([
    getUsage(client, config, range, "function"),
    client
      .query({
        query: "SELECT count() AS n FROM feedback WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}",
        query_params: { from: toChSeconds(range.from), to: toChSeconds(range.to) },
        format: "JSONEachRow",
      })
      .then(async (r) => z.array(z.object({ n: z.union([z.number(), z.string()]).transform(Number) })).parse(await r.json())[0]?.n ?? 0),
  ]);
  const t = usage.total;
  return { requests: t.requests, cost: t.cost, errorRate: t.requests ? t.errors / t.requests : null, feedback };
}
