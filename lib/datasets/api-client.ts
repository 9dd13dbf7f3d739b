import { z } from "zod";
import { fetchJson } from "@/lib/query/fetch-json";
import { datasetSummary, datasetVersion, datasetVersionInfo } from "./schemas";
import type { ColumnMapping, UploadFormat } from "./upload";

/** The dashboard's calls to the datasets API, each parsed with the API's own schema. */

const post = (body: unknown): { init: RequestInit } => ({
  init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
});
const base = (name: string) => `/api/datasets/${encodeURIComponent(name)}`;

export const previewReply = z.object({
  columns: z.array(z.string()),
  mapping: z.object({
    input: z.string().optional(),
    variables: z.array(z.string()),
    messages: z.string().optional(),
    expected_output: z.string().optional(),
    context: z.string().optional(),
    assertions: z.string().optional(),
    tags: z.array(z.string()),
  }),
  rows: z.number(),
  valid: z.number(),
  sample: z.array(z.unknown()),
  errors: z.array(z.object({ line: z.number(), message: z.string() })),
});

export interface UploadBody {
  name?: string;
  format: UploadFormat;
  text: string;
  fileName?: string;
  mapping?: ColumnMapping;
}

export const datasetsApi = {
  list: () => fetchJson("/api/datasets", z.object({ datasets: z.array(datasetSummary) })).then((r) => r.datasets),
  versions: (name: string) => fetchJson(base(name), z.object({ name: z.string(), versions: z.array(datasetVersionInfo) })),
  version: (name: string, version: number) => fetchJson(`${base(name)}/versions/${version}`, datasetVersion),
  preview: (body: UploadBody) => fetchJson("/api/datasets/upload/preview", previewReply, post(body)),
  upload: (body: UploadBody & { name: string }) => fetchJson("/api/datasets/upload", datasetVersionInfo, post(body)),
  fromInferences: (body: { name: string; inferenceIds: string[]; expected: "output" | "demonstration" }) =>
    fetchJson("/api/datasets/from-inferences", datasetVersionInfo, post(body)),
  fromPromptfoo: (body: { name: string; config: string }) => fetchJson("/api/datasets/from-promptfoo", datasetVersionInfo, post(body)),
};
