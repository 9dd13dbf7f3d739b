import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import type { GatewayConfig } from "@/lib/gateway/config";
import type { ResolvedRange } from "./range";
import { foldUsage, type UsageDimension, type UsageReply } from "./usage";
import { usageCells } from "./usage-queries.server";

/** The cost & usage page's answer: recorded spend over the range, grouped by `by`, with cache savings at today's prices. */
export async function getUsage(
  client: ClickHouseClient,
  config: GatewayConfig,
  range: ResolvedRange,
  by: UsageDimension,
): Promise<UsageReply> {
  const cells = await usageCells(client, range);
  const { rows, total } = foldUsage(cells, by, (model) => config.models[model]?.price);
  return { from: range.from, to: range.to, by, rows, total };
}
