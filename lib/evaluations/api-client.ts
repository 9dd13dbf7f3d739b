import { z } from "zod";
import { fetchJson } from "@/lib/query/fetch-json";
import { gatePolicy, gateVerdict } from "./gate-schemas";
import { itemView, mlflowGenaiRunEntry, runListEntry, runView, type CreateRunInput } from "./schemas";

/** The dashboard's calls to the evaluations API, each parsed with the API's own schema. */

const post = (body: unknown): { init: RequestInit } => ({
  init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
});

const interval = z.tuple([z.number(), z.number()]).nullable();
export const comparisonReply = z.object({
  dataset: z.object({ versionId: z.string() }),
  arms: z.array(
    z.object({ label: z.string(), runId: z.string(), candidate: z.string(), runName: z.string(), summary: runView.shape.summary.element }),
  ),
  comparisons: z.array(
    z.object({
      arm: z.string(),
      pairs: z.number(),
      evaluators: z.array(
        z.object({
          evaluator: z.string(),
          pairs: z.number(),
          meanDiff: z.number().nullable(),
          meanDiffCi: interval,
          tPValue: z.number().nullable(),
          passDiff: z.number().nullable(),
          passDiffCi: interval,
          mcnemarPValue: z.number().nullable(),
          regressions: z.number(),
          improvements: z.number(),
          significantRegression: z.boolean(),
        }),
      ),
      overall: z.object({
        passDiff: z.number().nullable(),
        passDiffCi: interval,
        pValue: z.number().nullable(),
        regressions: z.array(z.number()),
        improvements: z.array(z.number()),
      }),
    }),
  ),
  rows: z.array(
    z.object({
      position: z.number(),
      input: z.string(),
      expected: z.string().nullable(),
      kind: z.enum(["regression", "improvement", "same"]),
      cells: z.record(
        z.string(),
        z.object({
          output: z.string().nullable(),
          passed: z.boolean().nullable(),
          inferenceId: z.string().nullable(),
          scores: z.record(z.string(), z.number()),
        }),
      ),
    }),
  ),
  totalRows: z.number(),
});
export type ComparisonReply = z.infer<typeof comparisonReply>;

export const functionsReply = z.object({
  functions: z.array(
    z.object({ name: z.string(), variants: z.array(z.string()), evaluators: z.array(z.object({ name: z.string(), type: z.string() })) }),
  ),
  models: z.array(z.string()),
});

export const evaluationsApi = {
  list: () => fetchJson("/api/evaluations", z.object({ runs: z.array(runListEntry) })).then((r) => r.runs),
  mlflowGenai: () => fetchJson("/api/evaluations", z.object({ mlflowGenai: z.array(mlflowGenaiRunEntry) })).then((r) => r.mlflowGenai),
  run: (id: string) => fetchJson(`/api/evaluations/${id}`, runView),
  items: (id: string, failures: boolean, offset = 0) =>
    fetchJson(
      `/api/evaluations/${id}/items?failures=${failures ? 1 : 0}&offset=${offset}&limit=100`,
      z.object({ items: z.array(itemView), total: z.number() }),
    ),
  create: (body: CreateRunInput) => fetchJson("/api/evaluations", runView, post(body)),
  cancel: (id: string) => fetchJson(`/api/evaluations/${id}/cancel`, runView, post({})),
  compare: (arms: string[], offset = 0) =>
    fetchJson(
      `/api/evaluations/compare?${arms.map((a) => `arms=${encodeURIComponent(a)}`).join("&")}&offset=${offset}&limit=50`,
      comparisonReply,
    ),
  policies: () => fetchJson("/api/evaluations/policies", z.object({ policies: z.array(gatePolicy) })).then((r) => r.policies),
  functions: () => fetchJson("/api/evaluations/functions", functionsReply),
  gate: (name: string, alias: string, version: number) =>
    fetchJson(`/api/registered/${encodeURIComponent(name)}/gate?alias=${encodeURIComponent(alias)}&version=${version}`, gateVerdict),
};
