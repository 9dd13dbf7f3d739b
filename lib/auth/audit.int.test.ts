import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataDeletions, gateDecisions } from "@/db/schema";
import { postgresBackends } from "@/db/test/postgres";
import { EvaluationWorker } from "@/lib/evaluations/worker.server";
import type { TestGateway, TestStores } from "@/lib/gateway/testing/harness";
import type { TestAppServer } from "@/lib/http/testing/app-server";
import { startAuthTestApp, type AuthTestApp } from "./testing";

/**
 * Every kind of dashboard change is in the audit log with who made it, what it changed and
 * before/after: each made through the real handlers over HTTP with an API key (auth on), then
 * found through the admin's audit API.
 */
const ADMIN_KEY = "llmops_test_audit_admin_key_0123456789";
// The process's evaluation worker, as the route handlers find it.
const WORKER = Symbol.for("llmops.evaluations.worker");
const slots = globalThis as Record<symbol, unknown>;

interface Entry {
  actor: string;
  action: string;
  target_kind: string;
  target_id: string;
  request_id: string;
  before: unknown;
  after: unknown;
}

for (const backend of postgresBackends) {
  describe(`audit entries on ${backend.name}`, () => {
    let t: AuthTestApp;
    let env: TestStores;
    let gw: TestGateway;
    let app: TestAppServer;
    let editor: string;
    let reviewer: string;

    async function api(method: string, path: string, key: string, body?: unknown): Promise<Response> {
      const headers: Record<string, string> = { authorization: `Bearer ${key}` };
      if (body !== undefined) headers["content-type"] = "application/json";
      return fetch(`${app.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    }

    async function ok<T = Record<string, unknown>>(method: string, path: string, key: string, body?: unknown): Promise<T> {
      const res = await api(method, path, key, body);
      const text = await res.text();
      expect(res.status, `${method} ${path}: ${text}`).toBe(200);
      return (text.startsWith("{") ? JSON.parse(text) : text) as T;
    }

    /** The newest entry of `action` on the target, through the admin's audit API. */
    async function entry(action: string, targetId: string): Promise<Entry> {
      const query = new URLSearchParams({ action, target_id: targetId });
      const { entries } = await ok<{ entries: Entry[] }>("GET", `/api/admin/audit?${query}`, ADMIN_KEY);
      const found = entries.find((e) => e.action === action);
      expect(found, `no ${action} entry for ${targetId}`).toBeDefined();
      expect(found!.request_id).toBeTruthy();
      return found!;
    }

    beforeAll(async () => {
      t = await startAuthTestApp(backend, { LLMOPS_ADMIN_API_KEY: ADMIN_KEY });
      ({ env, gw, app } = t);
      // A worker that claims nothing, so a run started here stays queued until it is cancelled.
      const worker = new EvaluationWorker({ db: env.stores.postgres.db, clickhouse: env.stores.clickhouse.client }, async () => gw.gateway);
      await worker.stop();
      slots[WORKER] = Promise.resolve(worker);
      editor = await t.serviceKey("editor", { role: "editor" });
      reviewer = await t.serviceKey("reviewer", { role: "reviewer" });
    });

    afterAll(async () => {
      delete slots[WORKER];
      await t?.close();
    });

    it("runs and experiments: created, deleted and restored, with the lifecycle before and after", async () => {
      const experiment = await ok<{ experimentId: string }>("POST", "/api/experiments", editor, { name: `audit-${backend.name}` });
      expect(await entry("tracking.experiment_created", experiment.experimentId)).toMatchObject({
        actor: expect.stringContaining("key:editor"),
        target_kind: "experiment",
        after: { name: `audit-${backend.name}`, lifecycleStage: "active" },
      });
      const run = await ok<{ runId: string }>("POST", "/api/runs", editor, { experimentId: experiment.experimentId, name: "r1" });
      expect(await entry("tracking.run_created", run.runId)).toMatchObject({ target_kind: "run", after: { runName: "r1" } });

      await ok("PATCH", `/api/runs/${run.runId}`, editor, { deleted: true });
      expect(await entry("tracking.run_deleted", run.runId)).toMatchObject({
        before: { lifecycleStage: "active" },
        after: { lifecycleStage: "deleted", patch: { deleted: true } },
      });
      await ok("PATCH", `/api/runs/${run.runId}`, editor, { deleted: false, name: "r1-back" });
      expect(await entry("tracking.run_restored", run.runId)).toMatchObject({
        before: { lifecycleStage: "deleted", runName: "r1" },
        after: { lifecycleStage: "active", runName: "r1-back" },
      });
      await ok("PATCH", `/api/experiments/${experiment.experimentId}`, editor, { deleted: true });
      expect(await entry("tracking.experiment_deleted", experiment.experimentId)).toMatchObject({
        target_kind: "experiment",
        before: { lifecycleStage: "active" },
        after: { lifecycleStage: "deleted" },
      });
      await ok("PATCH", `/api/experiments/${experiment.experimentId}`, editor, { deleted: false });
      expect(await entry("tracking.experiment_restored", experiment.experimentId)).toMatchObject({
        before: { lifecycleStage: "deleted" },
        after: { lifecycleStage: "active" },
      });
    });

    it("registry: a prompt created, a version made, the prompt deleted", async () => {
      const name = `audit-prompt-${backend.name}`;
      await ok("POST", "/api/registered", editor, { kind: "prompts", name, template: { user: "Hi {{name}}" } });
      expect(await entry("registry.created", name)).toMatchObject({
        actor: expect.stringContaining("key:editor"),
        target_kind: "registered_model",
        after: { kind: "prompts", name, first_version: 1 },
      });
      const version = await ok<{ version: number }>("POST", `/api/registered/${name}/versions`, editor, {
        template: { user: "Hello {{name}}" },
        message: "friendlier",
      });
      expect(version.version).toBe(2);
      expect(await entry("registry.prompt_version_created", `${name}/2`)).toMatchObject({
        target_kind: "prompt_version",
        after: { version: 2, message: "friendlier" },
      });
      await ok("DELETE", `/api/registered/${name}`, editor);
      expect(await entry("registry.deleted", name)).toMatchObject({ before: { kind: "prompts", name }, after: null });
    });

    it("the promotion gate: only an admin overrides it, and the override's reason and actor are kept", async () => {
      const name = `audit-gated-${backend.name}`;
      await ok("POST", "/api/registered", editor, { kind: "models", name });
      await ok("POST", "/api/2.0/mlflow/model-versions/create", editor, { name, source: "s3://m" });
      await ok("POST", "/api/evaluations/policies", editor, {
        target_kind: "registered",
        target_name: name,
        function: "greet",
        dataset: "never-evaluated",
        conditions: [{ kind: "threshold", evaluator: "helpful", value: 0.5 }],
      });
      const path = `/api/registered/${name}/aliases`;
      const move = { alias: "production", version: 1 };
      const gated = await api("POST", path, editor, move);
      expect([gated.status, (await gated.json()).error.message]).toEqual([403, expect.stringContaining("promotion gate refuses")]);
      const notAdmin = await api("POST", path, editor, { ...move, override: true, reason: "hotfix" });
      expect([notAdmin.status, (await notAdmin.json()).error.message]).toEqual([403, expect.stringContaining("admin role")]);
      await ok("POST", path, ADMIN_KEY, { ...move, override: true, reason: "hotfix approved" });
      const moved = await entry("registry.alias_set", name);
      expect(moved).toMatchObject({
        before: { aliases: [] },
        after: { aliases: [move], gate: { verdict: "fail", override: "hotfix approved" } },
      });
      const [decision] = await env.stores.postgres.db
        .select()
        .from(gateDecisions)
        .where(and(eq(gateDecisions.name, name), eq(gateDecisions.verdict, "override")));
      expect(decision).toMatchObject({ actor: moved.actor, reason: "hotfix approved" });
    });

    it("labelling: a queue created, an item labelled, then relabelled with the labels before and after", async () => {
      const inference = await gw.gateway.infer(
        { functionName: "greet", variables: { name: "audit" } },
        { signal: new AbortController().signal },
      );
      await gw.gateway.recorder.flush();
      const queue = await ok<{ id: string; itemCount: number }>("POST", "/api/labelling/queues", editor, {
        name: `audit-queue-${backend.name}`,
        filter: { function: "greet" },
        fields: [{ key: "helpful", type: "boolean" }],
      });
      expect(await entry("labelling.queue_created", queue.id)).toMatchObject({
        target_kind: "label_queue",
        after: { name: `audit-queue-${backend.name}`, fields: [{ key: "helpful", type: "boolean" }], item_count: queue.itemCount },
      });
      const next = await ok<{ item: { claimId: number; inferenceId: string } }>(
        "POST",
        `/api/labelling/queues/${queue.id}/next`,
        reviewer,
        {},
      );
      expect(next.item.inferenceId).toBe(inference.inferenceId);
      const labels = `/api/labelling/queues/${queue.id}/claims/${next.item.claimId}/labels`;
      await ok("POST", labels, reviewer, { values: { helpful: false } });
      const target = `${queue.id}/${next.item.claimId}`;
      expect(await entry("labelling.labelled", target)).toMatchObject({
        actor: expect.stringContaining("key:reviewer"),
        target_kind: "label_claim",
        before: null,
        after: { labels: { helpful: false }, inference_id: inference.inferenceId },
      });
      await ok("POST", labels, reviewer, { values: { helpful: true } });
      expect(await entry("labelling.labels_edited", target)).toMatchObject({
        before: { labels: { helpful: false } },
        after: { labels: { helpful: true } },
      });
    });

    it("datasets, evaluation runs and gate policies: a version saved, a run started and cancelled, a policy created and deleted", async () => {
      const dataset = `audit-ds-${backend.name}`;
      const saved = await ok<{ version: number }>("POST", "/api/datasets", editor, {
        name: dataset,
        items: [{ input: { variables: { name: "a" } } }, { input: { variables: { name: "b" } } }],
      });
      expect(await entry("datasets.version_created", `${dataset}/${saved.version}`)).toMatchObject({
        target_kind: "dataset_version",
        after: { version: 1, item_count: 2, source: { kind: "api" } },
      });
      const appended = await ok<{ version: number }>("POST", `/api/datasets/${dataset}/items`, editor, {
        items: [{ input: { variables: { name: "c" } } }],
      });
      expect(await entry("datasets.version_created", `${dataset}/${appended.version}`)).toMatchObject({
        after: { version: 2, item_count: 3 },
      });

      const run = await ok<{ id: string; status: string }>("POST", "/api/evaluations", editor, {
        name: `audit-run-${backend.name}`,
        function: "greet",
        dataset: { name: dataset },
        candidates: [{ variant: "a" }],
      });
      expect(run.status).toBe("queued");
      expect(await entry("evaluations.run_started", run.id)).toMatchObject({
        target_kind: "evaluation_run",
        after: { function: "greet", status: "queued", dataset: { name: dataset, version: 2 } },
      });
      await ok("POST", `/api/evaluations/${run.id}/cancel`, editor);
      expect(await entry("evaluations.run_cancelled", run.id)).toMatchObject({ after: { status: "cancelled" } });

      const policy = await ok<{ id: string }>("POST", "/api/evaluations/policies", editor, {
        target_kind: "function",
        target_name: "greet",
        function: "greet",
        dataset,
        conditions: [{ kind: "threshold", evaluator: "helpful", value: 0.5 }],
      });
      expect(await entry("evaluations.policy_created", policy.id)).toMatchObject({
        target_kind: "gate_policy",
        before: null,
        after: { targetName: "greet", alias: "production", datasetName: dataset },
      });
      await ok("DELETE", `/api/evaluations/policies?id=${policy.id}`, editor);
      expect(await entry("evaluations.policy_deleted", policy.id)).toMatchObject({
        before: { id: policy.id, targetName: "greet" },
        after: null,
      });
    });

    it("a playground run names its inference, and an admin deletion its selector and counts", async () => {
      const res = await api("POST", "/api/playground/run", editor, {
        function: "greet",
        target: { variant: "a" },
        variables: { name: "p" },
      });
      expect(res.status).toBe(200);
      const start = JSON.parse((await res.text()).split("\n")[0]!) as { type: string; inferenceId: string; episodeId: string };
      expect(start.type).toBe("start");
      expect(await entry("playground.run", start.inferenceId)).toMatchObject({
        actor: expect.stringContaining("key:editor"),
        target_kind: "inference",
        after: { function: "greet", variant: "a", model: "m" },
      });

      await gw.gateway.recorder.flush();
      const deletion = await ok<{ id: string; counts: Record<string, number> }>("POST", "/api/admin/deletions", ADMIN_KEY, {
        selector: { episode_id: start.episodeId },
        dry_run: false,
      });
      expect(deletion.counts["clickhouse.inferences"]).toBe(1);
      const deleted = await entry("retention.deleted", deletion.id);
      expect(deleted).toMatchObject({
        actor: expect.stringContaining("key:"),
        target_kind: "deletion",
        before: { selector: { episode_id: start.episodeId } },
        after: { counts: { "clickhouse.inferences": 1 } },
      });
      // The deletion's own record names the same admin.
      const [row] = await env.stores.postgres.db.select().from(dataDeletions).where(eq(dataDeletions.id, deletion.id));
      expect(row?.actor).toBe(deleted.actor);
      // An editor may not delete data.
      expect((await api("POST", "/api/admin/deletions", editor, { selector: { episode_id: start.episodeId } })).status).toBe(403);
    });
  });
}
