import { z } from "zod";
import { datasetVersionInfo } from "@/lib/datasets/schemas";
import { fetchJson } from "@/lib/query/fetch-json";
import { nextResponse, queueDetail, queueSummary, reviewItem, type CreateQueueInput, type LabelValue } from "./schemas";

/** The dashboard's calls to the labelling API, each parsed with the API's own schema. */

const post = (body: unknown): { init: RequestInit } => ({
  init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
});
const base = (queueId: string) => `/api/labelling/queues/${encodeURIComponent(queueId)}`;

export const labellingApi = {
  queues: () => fetchJson("/api/labelling/queues", z.object({ queues: z.array(queueSummary) })).then((r) => r.queues),
  queue: (id: string) => fetchJson(base(id), queueDetail),
  preview: (body: Pick<CreateQueueInput, "filter" | "sample">) =>
    fetchJson("/api/labelling/queues/preview", z.object({ matching: z.number(), items: z.number(), fits: z.boolean() }), post(body)),
  create: (body: CreateQueueInput) => fetchJson("/api/labelling/queues", queueSummary, post(body)),
  next: (queueId: string) => fetchJson(`${base(queueId)}/next`, nextResponse, post({})),
  submit: (queueId: string, claimId: number, values: Record<string, LabelValue>) =>
    fetchJson(`${base(queueId)}/claims/${claimId}/labels`, nextResponse, post({ values })),
  skip: (queueId: string, claimId: number) => fetchJson(`${base(queueId)}/claims/${claimId}/skip`, nextResponse, post({})),
  saveDataset: (body: { queueId: string; name: string; good?: { field: string; min?: number } }) =>
    fetchJson("/api/datasets", datasetVersionInfo, post(body)),
  previous: (queueId: string, before?: number) =>
    fetchJson(`${base(queueId)}/previous`, z.object({ item: reviewItem.nullable() }), post(before === undefined ? {} : { before })),
};
