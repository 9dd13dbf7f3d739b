import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { NotFoundError } from "@/lib/http/errors";
import { decodeCursor, encodeCursor } from "./cursor";
import { PAGE_SIZE, type InferenceListQuery } from "./inference-query";
import { getInference, inferenceFacets, listInferences } from "./queries.server";
import { rangeFromQuery, type TagFilter } from "./range";
import type { InferenceDetail, InferenceFacets, InferencePage } from "./schemas";

/** The verbs behind the inference browser and the inference page. */
export async function browseInferences(
  client: ClickHouseClient,
  q: InferenceListQuery,
  tags: TagFilter[] = [],
  now = Date.now(),
): Promise<InferencePage> {
  // A preset range ends at "now" without snapping, so the newest rows are always in.
  const range = rangeFromQuery(q, now);
  const result = await listInferences(client, {
    from: range.from,
    to: q.to ?? now + 1,
    functionName: q.function,
    variantName: q.variant,
    modelName: q.model,
    status: q.status,
    user: q.user,
    tags,
    feedback: q.metric !== undefined && q.value !== undefined ? { metric: q.metric, op: q.op, value: q.value } : undefined,
    cursor: q.cursor ? decodeCursor(q.cursor) : undefined,
    limit: PAGE_SIZE,
  });
  return { items: result.items, next: result.next ? encodeCursor(result.next) : null, from: range.from, to: q.to ?? now + 1 };
}

export async function getInferenceFacets(client: ClickHouseClient, q: InferenceListQuery, now = Date.now()): Promise<InferenceFacets> {
  const range = rangeFromQuery(q, now);
  return inferenceFacets(client, range.from, range.to, q.function);
}

export async function getInferenceOrThrow(client: ClickHouseClient, id: string): Promise<InferenceDetail> {
  const found = await getInference(client, id);
  if (!found) throw new NotFoundError(`No inference ${id}`);
  return found;
}
