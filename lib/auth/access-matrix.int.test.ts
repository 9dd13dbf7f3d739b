import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GATEWAY_PATHS, gatewayAccess } from "@/lib/gateway/http.server";
import { TENSORZERO_METHODS } from "@/lib/gateway/tensorzero/paths";
import { listRouteFiles, rawPath } from "@/lib/http/testing/fuzz-routes";
import { ROOT } from "@/lib/http/testing/fuzz-cases";
import path from "node:path";
import type { Access } from "./roles";
import { startAuthTestApp, type AuthTestApp } from "./testing";

/**
 * The access matrix: every route of every surface (found at run time: app/**\/route.ts and the
 * gateway's path table) × every kind of caller → 401, 403 or through. A route without an access
 * rule fails. What each access level lets each caller do is written out here by hand (SPEC), and
 * the routes that matter most are pinned to their level (PINNED), so neither a wrong rule in
 * lib/auth/roles.ts nor a route given the wrong level goes unnoticed.
 */
const CALLERS = ["anonymous", "viewer", "reviewer", "editor", "admin", "inference", "tracking"] as const;
type CallerName = (typeof CALLERS)[number];

const Y = true;
const N = false;
// prettier-ignore
const SPEC: Record<Access, Record<CallerName, boolean>> = {
  //                anonymous viewer reviewer editor admin inference tracking
  "public":        { anonymous: Y, viewer: Y, reviewer: Y, editor: Y, admin: Y, inference: Y, tracking: Y },
  "signed-in":     { anonymous: N, viewer: Y, reviewer: Y, editor: Y, admin: Y, inference: Y, tracking: Y },
  "read":          { anonymous: N, viewer: Y, reviewer: Y, editor: Y, admin: Y, inference: N, tracking: N },
  "label":         { anonymous: N, viewer: N, reviewer: Y, editor: Y, admin: Y, inference: N, tracking: N },
  "edit":          { anonymous: N, viewer: N, reviewer: N, editor: Y, admin: Y, inference: N, tracking: N },
  "admin":         { anonymous: N, viewer: N, reviewer: N, editor: N, admin: Y, inference: N, tracking: N },
  "inference":     { anonymous: N, viewer: N, reviewer: N, editor: Y, admin: Y, inference: Y, tracking: N },
  "tracking":      { anonymous: N, viewer: N, reviewer: N, editor: Y, admin: Y, inference: N, tracking: Y },
  "tracking-read": { anonymous: N, viewer: Y, reviewer: Y, editor: Y, admin: Y, inference: N, tracking: Y },
};

const PINNED: Record<string, Access> = {
  "GET /api/health": "public",
  "POST /api/auth/sign-in": "public",
  "GET /api/auth/oidc/start": "public",
  "GET /api/auth/oidc/callback": "public",
  "GET /api/inferences": "read",
  "GET /api/budgets": "read",
  "GET /api/inferences/[id]": "read",
  "GET /api/search": "read",
  "POST /api/registered/[name]/aliases": "edit",
  "DELETE /api/registered/[name]/aliases": "edit",
  "POST /api/labelling/queues": "edit",
  "POST /api/labelling/queues/[queueId]/claims/[claimId]/labels": "label",
  "GET /api/admin/audit": "admin",
  "POST /api/admin/users": "admin",
  "POST /api/admin/deletions": "admin",
  "POST /api/keys": "signed-in",
  "GET /api/2.0/mlflow/runs/get": "tracking-read",
  "POST /api/2.0/mlflow/runs/search": "tracking-read",
  "POST /api/2.0/mlflow/runs/delete": "tracking",
  "POST /api/2.0/mlflow/registered-models/alias": "tracking",
  "DELETE /api/2.0/mlflow/registered-models/alias": "tracking",
  "PUT /api/2.0/mlflow-artifacts/artifacts/[...path]": "tracking",
  "POST /v1/traces": "tracking",
  "POST /openai/v1/chat/completions": "inference",
  "POST /api/feedback": "inference",
  "POST /inference": "inference",
  "GET /api/gateway/status": "read",
  "POST /api/gateway/dead-letters/retry": "admin",
};

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Handler = ((...args: never[]) => unknown) & { refusal?: boolean; access?: Access | ((req: Request) => Access) };

interface Probe {
  label: string;
  method: string;
  url: string;
  access: Access | undefined;
}

describe("the access matrix: every route × every caller", () => {
  let t: AuthTestApp;
  const secrets: Partial<Record<CallerName, string>> = {};

  beforeAll(async () => {
    t = await startAuthTestApp(undefined, { LLMOPS_ADMIN_EMAIL: "admin@example.test", LLMOPS_ADMIN_PASSWORD: "a long password" });
    for (const role of ["viewer", "reviewer", "editor", "admin"] as const) secrets[role] = await t.serviceKey(role, { role });
    for (const scope of ["inference", "tracking"] as const) secrets[scope] = await t.serviceKey(scope, { scope });
  });

  afterAll(async () => {
    await t?.close();
  });

  it("gives every route an access rule, answers each caller as the rule says, and keeps the pinned routes at their level", async () => {
    const probes: Probe[] = [];
    for (const route of listRouteFiles(path.join(ROOT, "app"))) {
      const mod = (await import(/* @vite-ignore */ route.file)) as Partial<Record<string, Handler>>;
      for (const method of METHODS) {
        const handler = mod[method];
        if (!handler || handler.refusal) continue;
        const url = `${t.app.url}${rawPath(route, Object.fromEntries(route.segments.map((s) => [s.kind === "static" ? "" : s.name, s.kind === "catchall" ? "a/b" : "x"])))}`;
        const access = typeof handler.access === "function" ? handler.access(new Request(url, { method })) : handler.access;
        probes.push({ label: `${method} ${route.pattern}`, method, url, access });
      }
    }
    for (const gatewayPath of GATEWAY_PATHS) {
      const method =
        (TENSORZERO_METHODS as Record<string, string>)[gatewayPath] ?? (/\/(models|status)$/.test(gatewayPath) ? "GET" : "POST");
      probes.push({ label: `${method} ${gatewayPath}`, method, url: `${t.app.url}${gatewayPath}`, access: gatewayAccess(gatewayPath) });
    }

    const failures: string[] = [];
    for (const probe of probes) {
      if (!probe.access) {
        failures.push(`${probe.label}: no access rule`);
        continue;
      }
      const pinned = PINNED[probe.label];
      if (pinned && pinned !== probe.access) failures.push(`${probe.label}: access ${probe.access}, pinned at ${pinned}`);
      for (const caller of CALLERS) {
        const secret = secrets[caller];
        const res = await fetch(probe.url, {
          method: probe.method,
          headers: {
            ...(secret ? { authorization: `Bearer ${secret}` } : {}),
            ...(probe.method === "GET" ? {} : { "content-type": "application/json" }),
          },
          body: probe.method === "GET" ? undefined : "{}",
        });
        await res.arrayBuffer();
        const allowed = SPEC[probe.access][caller];
        const expected = allowed ? "through" : caller === "anonymous" ? "401" : "403";
        const got = res.status === 401 ? "401" : res.status === 403 ? "403" : "through";
        if (got !== expected) failures.push(`${probe.label} as ${caller} (${probe.access}): expected ${expected}, got ${res.status}`);
      }
    }
    for (const label of Object.keys(PINNED)) {
      if (!probes.some((p) => p.label === label)) failures.push(`${label}: pinned, but no such route`);
    }
    console.log(`[access] ${probes.length} routes × ${CALLERS.length} callers; ${failures.length} failures`);
    for (const failure of failures) console.log(`[access] ${failure}`);
    expect(failures).toEqual([]);
    expect(probes.length).toBeGreaterThan(150);
  }, 300_000);
});
