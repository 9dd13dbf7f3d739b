import MLflow from "mlflow";
import OpenAI from "openai";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys, auditLog } from "@/db/schema";
import { postgresBackends } from "@/db/test/postgres";
import { rows, type TestGateway, type TestStores } from "@/lib/gateway/testing/harness";
import type { TestAppServer } from "@/lib/http/testing/app-server";
import { createQueue } from "@/lib/labelling/queues.server";
import { bootstrapAuth } from "./bootstrap.server";
import { startAuthTestApp, type AuthTestApp } from "./testing";

/**
 * Accounts, keys, roles, CSRF and the audit log through the app's real handlers over HTTP, with
 * real clients (the openai SDK, the npm mlflow client), on PGlite and the machine's Postgres.
 */
const ADMIN = { email: "admin@example.test", password: "correct horse battery" };
const ADMIN_KEY = "llmops_test_admin_key_0123456789abcdef";

for (const backend of postgresBackends) {
  describe(`auth on ${backend.name}`, () => {
    let t: AuthTestApp;
    let env: TestStores;
    let gw: TestGateway;
    let app: TestAppServer;
    const keys: Record<string, string> = {};

    async function api(
      method: string,
      path: string,
      init: { key?: string; cookie?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
    ): Promise<Response> {
      const headers: Record<string, string> = { ...init.headers };
      if (init.key) headers.authorization = `Bearer ${init.key}`;
      if (init.cookie) headers.cookie = init.cookie;
      if (init.body !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
      return fetch(`${app.url}${path}`, {
        method,
        headers,
        body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
        redirect: "manual",
      });
    }

    async function signIn(email: string, password: string): Promise<string> {
      const res = await api("POST", "/api/auth/sign-in", { body: { email, password } });
      expect(res.status).toBe(200);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith("llmops_session="));
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      return cookie!.split(";")[0]!;
    }

    beforeAll(async () => {
      t = await startAuthTestApp(backend, {
        LLMOPS_ADMIN_EMAIL: ADMIN.email,
        LLMOPS_ADMIN_PASSWORD: ADMIN.password,
        LLMOPS_ADMIN_API_KEY: ADMIN_KEY,
      });
      ({ env, gw, app } = t);
      for (const role of ["viewer", "reviewer", "editor"] as const) keys[role] = await t.serviceKey(role, { role });
      for (const scope of ["inference", "tracking"] as const) keys[scope] = await t.serviceKey(scope, { scope });
    });

    afterAll(async () => {
      await t?.close();
    });

    it("creates the first admin and the admin key once, however often start-up runs", async () => {
      const lines = await bootstrapAuth(env.stores.postgres.db, {
        LLMOPS_ADMIN_EMAIL: "other@example.test",
        LLMOPS_ADMIN_API_KEY: ADMIN_KEY,
      });
      expect(lines.join("\n")).toMatch(/Sign in as other@example.test/);
      const users = await (await api("GET", "/api/admin/users", { key: ADMIN_KEY })).json();
      expect(users.users.map((u: { email: string }) => u.email)).toEqual([ADMIN.email]);
      const me = await (await api("GET", "/api/auth/me", { key: ADMIN_KEY })).json();
      expect(me).toMatchObject({ auth_enabled: true, caller: { kind: "key", role: "admin" }, user: null });
    });

    it("signs in with a password to an HTTP-only session, and signs out", async () => {
      const wrong = await api("POST", "/api/auth/sign-in", { body: { email: ADMIN.email, password: "nope" } });
      expect(wrong.status).toBe(401);
      expect((await wrong.json()).error).toMatchObject({ code: "unauthorized", message: "Wrong email or password" });
      const unknown = await api("POST", "/api/auth/sign-in", { body: { email: "ghost@example.test", password: "nope" } });
      expect((await unknown.json()).error.message).toBe("Wrong email or password");

      const cookie = await signIn(ADMIN.email.toUpperCase(), ADMIN.password);
      const me = await (await api("GET", "/api/auth/me", { cookie })).json();
      expect(me.user).toMatchObject({ email: ADMIN.email, role: "admin" });
      expect(me.caller.permissions).toContain("admin");

      const out = await api("POST", "/api/auth/sign-out", { cookie, headers: { "x-llmops-csrf": "1" } });
      expect(out.status).toBe(200);
      expect(out.headers.getSetCookie().join()).toMatch(/llmops_session=;.*Max-Age=0/);
      const after = await (await api("GET", "/api/auth/me", { cookie })).json();
      expect(after.caller.kind).toBe("anonymous");
      expect((await api("GET", "/api/inferences", { cookie })).status).toBe(401);
    });

    it("refuses every request without credentials, and a wrong key, on each surface in its own dialect", async () => {
      const app401 = await api("GET", "/api/inferences");
      expect([app401.status, (await app401.json()).error.code]).toEqual([401, "unauthorized"]);
      const mlflow = await api("POST", "/api/2.0/mlflow/runs/delete", { body: { run_id: "x" } });
      expect([mlflow.status, (await mlflow.json()).error_code]).toEqual([401, "UNAUTHENTICATED"]);
      const wrong = await api("GET", "/api/2.0/mlflow/experiments/search", { key: "llmops_not_a_key" });
      expect([wrong.status, (await wrong.json()).error_code]).toEqual([401, "UNAUTHENTICATED"]);

      const client = new OpenAI({ baseURL: `${app.url}/openai/v1`, apiKey: "sk-wrong", maxRetries: 0 });
      const error = await client.chat.completions
        .create({ model: "function::greet", messages: [{ role: "user", content: "hi" }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(error).toMatchObject({ status: 401, code: "invalid_api_key", type: "invalid_request_error" });
    });

    it("CSRF: a cookie-authenticated change from another origin is refused (form POST, no-cors text/plain); the dashboard's is not", async () => {
      const cookie = await signIn(ADMIN.email, ADMIN.password);
      const { experiment_id } = await (
        await api("POST", "/api/2.0/mlflow/experiments/create", { key: ADMIN_KEY, body: { name: `csrf-${backend.name}` } })
      ).json();
      const { run } = await (await api("POST", "/api/2.0/mlflow/runs/create", { key: ADMIN_KEY, body: { experiment_id } })).json();
      const runId: string = run.info.run_id;
      // What a page on evil.test makes the browser send: no custom header can be added to either.
      const form = await api("POST", `/api/2.0/mlflow/runs/delete?run_id=${runId}`, {
        cookie,
        raw: `run_id=${runId}`,
        headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://evil.test", "sec-fetch-site": "cross-site" },
      });
      expect([form.status, (await form.json()).error_code]).toEqual([403, "PERMISSION_DENIED"]);
      const noCors = await api("POST", "/api/2.0/mlflow/runs/delete", {
        cookie,
        raw: JSON.stringify({ run_id: runId }),
        headers: { "content-type": "text/plain;charset=json", origin: "http://evil.test", "sec-fetch-site": "cross-site" },
      });
      expect(noCors.status).toBe(403);
      // Same origin but without the header (e.g. a stored page on this origin posting a form).
      const bare = await api("POST", "/api/2.0/mlflow/runs/delete", { cookie, body: { run_id: runId } });
      expect(bare.status).toBe(403);
      const live = await (await api("GET", `/api/2.0/mlflow/runs/get?run_id=${runId}`, { key: ADMIN_KEY })).json();
      expect(live.run.info.lifecycle_stage).toBe("active");

      const ours = await api("POST", "/api/2.0/mlflow/runs/delete", {
        cookie,
        body: { run_id: runId },
        headers: { "x-llmops-csrf": "1", "sec-fetch-site": "same-origin", origin: app.url },
      });
      expect(ours.status).toBe(200);

      // The gateway opens the same context: a signed-in browser cannot be made to call a model
      // or send feedback from another origin, while the dashboard's own request goes through.
      const chat = { model: "function::greet", messages: [{ role: "user", content: "hi" }] };
      const evil = { origin: "http://evil.test", "sec-fetch-site": "cross-site" };
      const crossChat = await api("POST", "/openai/v1/chat/completions", {
        cookie,
        raw: JSON.stringify(chat),
        headers: { ...evil, "content-type": "text/plain" },
      });
      expect([crossChat.status, (await crossChat.json()).error.code]).toEqual([403, "insufficient_permissions"]);
      const crossFeedback = await api("POST", "/api/feedback", {
        cookie,
        body: { inference_id: runId, metric_name: "helpful", value: true },
        headers: evil,
      });
      expect(crossFeedback.status).toBe(403);
      const ownChat = await api("POST", "/openai/v1/chat/completions", {
        cookie,
        body: chat,
        headers: { "x-llmops-csrf": "1", "sec-fetch-site": "same-origin", origin: app.url },
      });
      expect(ownChat.status).toBe(200);
    });

    it("API keys: shown once, stored as a hash, accepted as Bearer and as the Basic password, dead at once when revoked", async () => {
      const cookie = await signIn(ADMIN.email, ADMIN.password);
      const csrf = { "x-llmops-csrf": "1" };
      const created = await api("POST", "/api/keys", { cookie, headers: csrf, body: { name: "laptop", role: "viewer" } });
      expect(created.status).toBe(200);
      const { key, secret } = await created.json();
      expect(secret).toMatch(/^llmops_/);
      expect(key).toMatchObject({ name: "laptop", role: "viewer", user: { email: ADMIN.email }, revoked_at: null });
      const listed = await (await api("GET", "/api/keys", { cookie })).json();
      expect(JSON.stringify(listed)).not.toContain(secret);
      const [stored] = await env.stores.postgres.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
      expect(stored?.secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(stored)).not.toContain(secret);

      expect((await api("GET", "/api/inferences", { key: secret })).status).toBe(200);
      const basic = Buffer.from(`anyone:${secret}`).toString("base64");
      expect((await api("GET", "/api/2.0/mlflow/experiments/search", { headers: { authorization: `Basic ${basic}` } })).status).toBe(200);
      // A viewer's key cannot write, and a personal key never outranks its account.
      const write = await api("POST", "/api/2.0/mlflow/experiments/create", { key: secret, body: { name: "nope" } });
      expect([write.status, (await write.json()).error_code]).toEqual([403, "PERMISSION_DENIED"]);

      const revoked = await api("DELETE", `/api/keys/${key.id}`, { cookie, headers: csrf });
      expect((await revoked.json()).key.revoked_at).not.toBeNull();
      expect((await api("GET", "/api/inferences", { key: secret })).status).toBe(401);
    });

    it("roles: a viewer reads but cannot move an alias, an editor can, only an admin reads the audit log", async () => {
      const name = `auth-model-${backend.name}`;
      expect((await api("POST", "/api/2.0/mlflow/registered-models/create", { key: keys.editor, body: { name } })).status).toBe(200);
      expect(
        (await api("POST", "/api/2.0/mlflow/model-versions/create", { key: keys.editor, body: { name, source: "s3://m" } })).status,
      ).toBe(200);
      const move = { alias: "production", version: 1 };
      const path = `/api/registered/${name}/aliases`;
      expect((await api("GET", `/api/registered/${name}`, { key: keys.viewer })).status).toBe(200);
      const denied = await api("POST", path, { key: keys.viewer, body: move });
      expect([denied.status, (await denied.json()).error.code]).toEqual([403, "forbidden"]);
      const mlflowDenied = await api("POST", "/api/2.0/mlflow/registered-models/alias", {
        key: keys.viewer,
        body: { name, ...move, version: "1" },
      });
      expect(mlflowDenied.status).toBe(403);
      expect((await api("POST", path, { key: keys.reviewer, body: move })).status).toBe(403);
      expect((await api("POST", path, { key: keys.editor, body: move })).status).toBe(200);
      expect((await api("GET", "/api/admin/audit", { key: keys.editor })).status).toBe(403);
      const audit = await (await api("GET", `/api/admin/audit?target_id=${name}`, { key: ADMIN_KEY })).json();
      expect(audit.entries.map((e: { action: string }) => e.action)).toEqual([
        "registry.alias_set",
        "mlflow.model-versions.create",
        "mlflow.registered-models.create",
      ]);
      expect(audit.entries[0]).toMatchObject({
        actor: expect.stringContaining("key:editor"),
        target_kind: "registered_model",
        before: { aliases: [] },
        after: { aliases: [{ alias: "production", version: 1 }] },
        request_id: expect.any(String),
      });
    });

    it("scopes: an inference key calls models and sends feedback but reads nothing else; a tracking key logs runs", async () => {
      const client = new OpenAI({ baseURL: `${app.url}/openai/v1`, apiKey: keys.inference, maxRetries: 0 });
      const completion = await client.chat.completions.create({
        model: "function::greet",
        messages: [{ role: "user", content: "hi" }],
      });
      expect(completion.choices[0]?.message.content).toBeTruthy();
      const feedback = await api("POST", "/api/feedback", {
        key: keys.inference,
        body: {
          inference_id: completion.id,
          metric_name: "helpful",
          value: true,
          tags: { "llmops.source": "human", "llmops.reviewer": "boss" },
        },
      });
      expect(feedback.status).toBe(200);
      const { feedback_id } = await feedback.json();
      const [row] = await rows<{ tags: Record<string, string> }>(env.stores, "SELECT tags FROM feedback WHERE id = {id:UUID}", {
        id: feedback_id,
      });
      // The key is the source: a client cannot pass its feedback off as a reviewer's.
      expect(row?.tags).toMatchObject({ "llmops.source": "api", "llmops.sent_by": expect.stringContaining("key:inference") });

      expect((await api("GET", "/api/inferences", { key: keys.inference })).status).toBe(403);
      expect((await api("GET", "/api/2.0/mlflow/experiments/search", { key: keys.inference })).status).toBe(403);
      expect((await api("POST", "/api/feedback", { key: keys.tracking, body: {} })).status).toBe(403);

      // The npm mlflow client, with the key as MLFLOW_TRACKING_TOKEN sends it.
      const { Experiments, Runs } = new MLflow({ endpoint: app.url, headers: { Authorization: `Bearer ${keys.tracking}` } });
      const { experiment_id } = await Experiments.create({ name: `tracked-${backend.name}`, artifact_location: "" });
      const { run } = await Runs.create({ experiment_id, user_id: "ci", start_time: Date.now() });
      await Runs.logMetric({ run_id: run.info.run_id, key: "loss", value: 0.5, timestamp: Date.now(), step: 0 });
      expect((await api("GET", "/api/inferences", { key: keys.tracking })).status).toBe(403);
    });

    it("the reviewer is the caller: labels are recorded under the key's identity, and another name is refused", async () => {
      const inference = await gw.gateway.infer(
        { functionName: "greet", variables: { name: "label me" } },
        { signal: new AbortController().signal },
      );
      await gw.gateway.recorder.flush();
      const queue = await createQueue(
        { db: env.stores.postgres.db, clickhouse: env.stores.clickhouse.client },
        { name: `auth-queue-${backend.name}`, filter: { function: "greet" }, fields: [{ key: "helpful", type: "boolean" }] },
      );
      expect((await api("POST", `/api/labelling/queues/${queue.id}/next`, { key: keys.viewer, body: {} })).status).toBe(403);
      const forged = await api("POST", `/api/labelling/queues/${queue.id}/next`, {
        key: keys.reviewer,
        body: { reviewer: "somebody else" },
      });
      expect(forged.status).toBe(403);
      const next = await (await api("POST", `/api/labelling/queues/${queue.id}/next`, { key: keys.reviewer, body: {} })).json();
      expect(next.item).toBeTruthy();
      const labelled = await api("POST", `/api/labelling/queues/${queue.id}/claims/${next.item.claimId}/labels`, {
        key: keys.reviewer,
        body: { values: { helpful: true } },
      });
      expect(labelled.status).toBe(200);
      const feedback = await rows<{ tags: Record<string, string> }>(
        env.stores,
        "SELECT tags FROM feedback WHERE tags['llmops.source'] = 'human'",
      );
      expect(feedback.map((f) => f.tags["llmops.reviewer"])).toContain("key:reviewer (" + keys.reviewer!.slice(0, 11) + "…)");
      expect(inference.inferenceId).toBeTruthy();
    });

    it("keeps the audit log append-only: the database refuses UPDATE and DELETE", async () => {
      const db = env.stores.postgres.db;
      const [before] = await db.select({ n: sql<number>`count(*)::int` }).from(auditLog);
      expect(before!.n).toBeGreaterThan(5);
      const refusal = (e: unknown) => String((e as { cause?: Error }).cause?.message ?? e);
      expect(refusal(await db.execute(sql`update audit_log set actor = 'someone else'`).catch((e: unknown) => e))).toMatch(/append-only/);
      expect(refusal(await db.execute(sql`delete from audit_log`).catch((e: unknown) => e))).toMatch(/append-only/);
      const actions = await db.selectDistinct({ action: auditLog.action }).from(auditLog);
      expect(actions.map((a) => a.action)).toEqual(
        expect.arrayContaining([
          "auth.user_created",
          "auth.key_created",
          "auth.key_revoked",
          "auth.sign_in",
          "auth.sign_in_failed",
          "auth.sign_out",
          "mlflow.runs.delete",
          "mlflow.experiments.create",
        ]),
      );
    });

    it("tells anonymous callers only whether the app is up; an admin gets the details", async () => {
      expect(await (await api("GET", "/api/health")).json()).toEqual({ status: "ok" });
      const detail = await (await api("GET", "/api/health", { key: ADMIN_KEY })).json();
      expect(detail).toMatchObject({ status: "ok", app: expect.anything() });
      expect(Object.keys(detail).length).toBeGreaterThan(2);
    });

    it("rate-limits failed sign-ins per account", async () => {
      for (let i = 0; i < 9; i++) {
        expect((await api("POST", "/api/auth/sign-in", { body: { email: "limited@example.test", password: "x" } })).status).toBe(401);
      }
      const limited = await api("POST", "/api/auth/sign-in", { body: { email: "limited@example.test", password: "x" } });
      expect(limited.status).toBe(401);
      const blocked = await api("POST", "/api/auth/sign-in", { body: { email: "limited@example.test", password: "x" } });
      expect([blocked.status, (await blocked.json()).error.code]).toEqual([429, "rate_limited"]);
      // Other accounts are not affected.
      expect((await api("POST", "/api/auth/sign-in", { body: ADMIN })).status).toBe(200);
    });
  });
}
