import type { Server } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { postgresBackends } from "@/db/test/postgres";
import { openTestStores, startTestGateway, type TestGateway, type TestStores } from "@/lib/gateway/testing/harness";
import { startTestAppServer, type TestAppServer } from "@/lib/http/testing/app-server";
import { bootstrapAuth } from "./bootstrap.server";

/**
 * Single sign-on against a real OpenID provider (oidc-provider, the certified implementation by
 * openid-client's author) started in this process, through the app's real handlers over HTTP:
 * discovery, code flow with PKCE, state and nonce, userinfo, group → role mapping, linking,
 * refusals. The "browser" is fetch with redirects followed by hand and a cookie jar per party.
 */
process.env.LLMOPS_AUTH = "on";

/** A port of its own for the provider: the int and int-http runs of this file may be here at once. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const ISSUER = `http://127.0.0.1:${await freePort()}`;
const CLIENT = { id: "llmops-test", secret: "a client secret only this test knows" };
Object.assign(process.env, {
  LLMOPS_OIDC_ISSUER: ISSUER,
  LLMOPS_OIDC_CLIENT_ID: CLIENT.id,
  LLMOPS_OIDC_CLIENT_SECRET: CLIENT.secret,
  LLMOPS_OIDC_NAME: "Test IdP",
  LLMOPS_OIDC_ROLE_MAP: "llmops-admins=admin,ml-eng=editor,labellers=reviewer",
  LLMOPS_OIDC_DEFAULT_ROLE: "none",
});

const ADMIN_KEY = "llmops_test_admin_key_0123456789abcdef";

/** The provider's people; a test changes someone's groups between sign-ins. */
const people = new Map<string, { email: string; email_verified: boolean; name: string; groups: string[] }>();

let signingKey: JWK;
beforeAll(async () => {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  signingKey = { ...(await exportJWK(privateKey)), kid: "test", alg: "RS256", use: "sig" };
});

function startProvider(redirectUri: string): Promise<Server> {
  const provider = new Provider(ISSUER, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: ["provider cookie key"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    findAccount: (_ctx: KoaContextWithOIDC, id: string) => {
      const person = people.get(id);
      return person ? { accountId: id, claims: () => ({ sub: id, ...person }) } : undefined;
    },
    // A first-party client: consent is granted without asking (the login form is still shown).
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session, provider: op } = ctx.oidc;
      const existing = session && client ? session.grantIdFor(client.clientId) : undefined;
      if (existing) return op.Grant.find(existing);
      const grant = new op.Grant({ clientId: client!.clientId, accountId: session!.accountId });
      grant.addOIDCScope("openid email profile groups");
      await grant.save();
      return grant;
    },
  });
  return new Promise((resolve) => {
    const server = provider.listen(Number(new URL(ISSUER).port), "127.0.0.1", () => resolve(server));
  });
}

/** Name=value pairs a party set, to send back (the provider's are path-scoped; sending all is harmless here). */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

for (const backend of postgresBackends) {
  describe(`single sign-on on ${backend.name}`, () => {
    let env: TestStores;
    let gw: TestGateway;
    let app: TestAppServer;
    let idp: Server;

    beforeAll(async () => {
      env = await openTestStores(backend);
      (globalThis as Record<symbol, unknown>)[Symbol.for("llmops.stores")] = Promise.resolve(env.stores);
      gw = await startTestGateway(
        env.stores,
        `[providers.echo]\ntype = "dummy"\n[models.m]\nrouting = [{ provider = "echo", model = "e" }]\n`,
      );
      app = await startTestAppServer(gw.gateway);
      idp = await startProvider(`${app.url}/api/auth/oidc/callback`);
      await bootstrapAuth(env.stores.postgres.db, {
        LLMOPS_ADMIN_EMAIL: "admin@example.test",
        LLMOPS_ADMIN_PASSWORD: "a long password",
        LLMOPS_ADMIN_API_KEY: ADMIN_KEY,
      });
    });

    afterAll(async () => {
      delete (globalThis as Record<symbol, unknown>)[Symbol.for("llmops.stores")];
      idp?.closeAllConnections();
      await new Promise((r) => idp?.close(r));
      await app?.close();
      await gw?.close();
      await env?.cleanup();
    });

    /** Start → provider → its login form (as `login`) → back at the app's callback, which is returned unanswered. */
    async function toCallback(
      login: string,
      next = "/runs",
      opts: { cancel?: boolean } = {},
    ): Promise<{ callback: string; flowCookie: string }> {
      const start = await fetch(`${app.url}/api/auth/oidc/start?next=${encodeURIComponent(next)}`, { redirect: "manual" });
      expect(start.status).toBe(303);
      const flowCookie = start.headers
        .getSetCookie()
        .find((c) => c.startsWith("llmops_oidc="))!
        .split(";")[0]!;
      expect(start.headers.getSetCookie().join()).toMatch(/HttpOnly; SameSite=Lax/);
      const jar = new Jar();
      let url = start.headers.get("location")!;
      expect(url).toMatch(new RegExp(`^${ISSUER}/auth\\?`));
      expect(new URL(url).searchParams.get("code_challenge_method")).toBe("S256");
      for (let hop = 0; hop < 10 && !url.startsWith(app.url); hop++) {
        const interaction = /\/interaction\/([\w-]+)$/.exec(new URL(url).pathname);
        const res =
          interaction && opts.cancel
            ? await fetch(`${url}/abort`, { redirect: "manual", headers: { cookie: jar.header() } })
            : interaction
              ? await fetch(url, {
                  method: "POST",
                  redirect: "manual",
                  headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
                  body: new URLSearchParams({ prompt: "login", login, password: "anything" }),
                })
              : await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
        jar.take(res);
        expect(res.headers.get("location"), `${url}: ${res.status} ${await res.clone().text()}`).toBeTruthy();
        url = new URL(res.headers.get("location")!, url).href;
      }
      expect(url.startsWith(`${app.url}/api/auth/oidc/callback?`)).toBe(true);
      return { callback: url, flowCookie };
    }

    async function ssoSignIn(login: string, next?: string): Promise<Response> {
      const { callback, flowCookie } = await toCallback(login, next);
      return fetch(callback, { redirect: "manual", headers: { cookie: flowCookie } });
    }

    function sessionOf(res: Response): string {
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith("llmops_session="));
      expect(cookie).toMatch(/HttpOnly; SameSite=Lax/);
      return cookie!.split(";")[0]!;
    }

    async function me(cookie: string) {
      return (await fetch(`${app.url}/api/auth/me`, { headers: { cookie } })).json();
    }

    it("says on /api/auth/me that SSO is on, and under which name", async () => {
      expect((await me("")).oidc).toEqual({ enabled: true, name: "Test IdP" });
    });

    it("signs a new person in with the role their groups map to, and follows the groups on the next sign-in", async () => {
      people.set("dana", { email: `dana-${backend.name}@example.test`, email_verified: true, name: "Dana", groups: ["labellers"] });
      const first = await ssoSignIn("dana", "/labelling?queue=1");
      expect(first.status).toBe(303);
      expect(first.headers.get("location")).toBe("/labelling?queue=1");
      expect(first.headers.getSetCookie().join()).toMatch(/llmops_oidc=;.*Max-Age=0/);
      const cookie = sessionOf(first);
      const who = await me(cookie);
      expect(who.user).toMatchObject({ email: `dana-${backend.name}@example.test`, name: "Dana", role: "reviewer", sso: true });
      expect(who.caller.permissions).toContain("label");
      expect((await fetch(`${app.url}/api/inferences`, { headers: { cookie } })).status).toBe(200);

      people.get("dana")!.groups = ["labellers", "ml-eng"];
      const second = sessionOf(await ssoSignIn("dana"));
      const again = await me(second);
      expect(again.user).toMatchObject({ id: who.user.id, role: "editor" });
      // The first session follows too: a role change reaches every session of the account.
      expect((await me(cookie)).user.role).toBe("editor");
      const signIns = await env.stores.postgres.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "auth.sign_in"), eq(auditLog.actorId, who.user.id)));
      expect(signIns.map((e) => e.after)).toEqual([
        { via: "oidc", role: "reviewer" },
        { via: "oidc", role: "editor" },
      ]);
    });

    it("lands only on a path of this origin", async () => {
      people.set("erin", { email: `erin-${backend.name}@example.test`, email_verified: true, name: "Erin", groups: ["ml-eng"] });
      for (const next of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
        expect((await ssoSignIn("erin", next)).headers.get("location")).toBe("/");
      }
    });

    it("refuses a bad, missing or foreign state with a 400 in the app's dialect, and a provider's refusal with a 401", async () => {
      people.set("finn", { email: `finn-${backend.name}@example.test`, email_verified: true, name: "Finn", groups: ["ml-eng"] });
      const { callback } = await toCallback("finn");
      // Another sign-in's cookie (an attacker's own flow, or a second tab): its state does not match.
      const other = await fetch(`${app.url}/api/auth/oidc/start`, { redirect: "manual" });
      const foreign = other.headers.getSetCookie()[0]!.split(";")[0]!;
      for (const cookie of [foreign, "", "llmops_oidc=not-a-sealed-value"]) {
        const res = await fetch(callback, { redirect: "manual", headers: { cookie } });
        expect(res.status).toBe(400);
        const body = await res.json();
        expect(body.error.code).toBe("bad_request");
        expect(body.error.message).toMatch(/start again from the sign-in page/);
        expect(res.headers.getSetCookie().some((c) => c.startsWith("llmops_session="))).toBe(false);
      }
      // This flow's own cookie, but the state in the URL changed: refused before the code is spent.
      const mine = await toCallback("finn");
      const tampered = new URL(mine.callback);
      tampered.searchParams.set("state", "forged");
      const forged = await fetch(tampered, { redirect: "manual", headers: { cookie: mine.flowCookie } });
      expect(forged.status).toBe(400);
      expect((await forged.json()).error.message).toMatch(/state/);
      const honest = await fetch(mine.callback, { redirect: "manual", headers: { cookie: mine.flowCookie } });
      expect(honest.status).toBe(303);
      // The same code again (a replayed callback): the provider refuses it.
      const replay = await fetch(mine.callback, { redirect: "manual", headers: { cookie: mine.flowCookie } });
      expect(replay.status).toBe(401);

      // The person cancels at the provider, which sends them back with error=access_denied.
      const cancelled = await toCallback("finn", "/", { cancel: true });
      expect(new URL(cancelled.callback).searchParams.get("error")).toBe("access_denied");
      const denied = await fetch(cancelled.callback, { redirect: "manual", headers: { cookie: cancelled.flowCookie } });
      expect(denied.status).toBe(401);
      expect((await denied.json()).error).toMatchObject({
        code: "unauthorized",
        message: expect.stringMatching(/^Test IdP refused the sign-in/),
      });

      // A browser navigating there lands on the sign-in page with a fixed message, not on JSON.
      const browser = await toCallback("finn", "/", { cancel: true });
      const page = await fetch(browser.callback, {
        redirect: "manual",
        // What a browser's navigation sends (Node's fetch sets its own Sec-Fetch-Mode, so Accept it is).
        headers: { cookie: browser.flowCookie, accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" },
      });
      expect([page.status, page.headers.get("location")]).toEqual([303, "/sign-in?sso_error=refused"]);
      expect(page.headers.getSetCookie().some((c) => c.startsWith("llmops_session="))).toBe(false);
      const stale = await fetch(callback, { redirect: "manual", headers: { cookie: foreign, accept: "text/html,application/xhtml+xml" } });
      expect(stale.headers.get("location")).toBe("/sign-in?sso_error=expired");
    });

    it("refuses a person in no mapped group (default role none), and an account an admin disabled", async () => {
      people.set("gus", { email: `gus-${backend.name}@example.test`, email_verified: true, name: "Gus", groups: ["marketing"] });
      const outsider = await ssoSignIn("gus");
      expect(outsider.status).toBe(403);
      expect((await outsider.json()).error.message).toMatch(/none of the groups/);

      people.set("hal", { email: `hal-${backend.name}@example.test`, email_verified: true, name: "Hal", groups: ["ml-eng"] });
      const hal = await me(sessionOf(await ssoSignIn("hal")));
      const disable = await fetch(`${app.url}/api/admin/users/${hal.user.id}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ disabled: true }),
      });
      expect(disable.status).toBe(200);
      const refused = await ssoSignIn("hal");
      expect(refused.status).toBe(403);
      expect((await refused.json()).error).toMatchObject({ code: "forbidden", message: "This account is disabled: ask an admin" });
      const failures = await env.stores.postgres.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "auth.sign_in_failed"), eq(auditLog.targetId, hal.user.email)));
      expect(failures).toHaveLength(1);
      expect(failures[0]!.after).toMatchObject({ via: "oidc", reason: "This account is disabled: ask an admin" });
    });

    it("links an existing account by a verified email, and never by an unverified one", async () => {
      const create = async (email: string) => {
        const res = await fetch(`${app.url}/api/admin/users`, {
          method: "POST",
          headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
          body: JSON.stringify({ email, role: "viewer", password: "a long password" }),
        });
        return (await res.json()).user;
      };
      const ivy = await create(`ivy-${backend.name}@example.test`);
      people.set("ivy", { email: ivy.email, email_verified: true, name: "Ivy", groups: ["llmops-admins"] });
      const linked = await me(sessionOf(await ssoSignIn("ivy")));
      expect(linked.user).toMatchObject({ id: ivy.id, role: "admin", sso: true });

      const jon = await create(`jon-${backend.name}@example.test`);
      people.set("jon", { email: jon.email, email_verified: false, name: "Jon", groups: ["ml-eng"] });
      const refused = await ssoSignIn("jon");
      expect(refused.status).toBe(403);
      expect((await refused.json()).error.message).toMatch(/did not say the email is verified/);

      // A disabled account is neither linked nor signed in to.
      const kai = await create(`kai-${backend.name}@example.test`);
      await fetch(`${app.url}/api/admin/users/${kai.id}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ disabled: true }),
      });
      people.set("kai", { email: kai.email, email_verified: true, name: "Kai", groups: ["ml-eng"] });
      expect((await ssoSignIn("kai")).status).toBe(403);
      const listed = await fetch(`${app.url}/api/admin/users`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      expect((await listed.json()).users.find((u: { id: string }) => u.id === kai.id)).toMatchObject({ sso: false, role: "viewer" });
    });

    it("never demotes the last active admin, whatever the groups say", async () => {
      const admin = async (path: string, method = "GET", body?: unknown) =>
        (
          await fetch(`${app.url}${path}`, {
            method,
            headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
          })
        ).json();
      people.set("kim", { email: `kim-${backend.name}@example.test`, email_verified: true, name: "Kim", groups: ["llmops-admins"] });
      const kim = (await me(sessionOf(await ssoSignIn("kim")))).user;
      expect(kim.role).toBe("admin");
      // Every other admin disabled: Kim is the last one.
      const others = (await admin("/api/admin/users")).users.filter(
        (u: { role: string; id: string }) => u.role === "admin" && u.id !== kim.id,
      );
      for (const other of others) await admin(`/api/admin/users/${other.id}`, "PATCH", { disabled: true });
      people.get("kim")!.groups = ["labellers"];
      const still = await me(sessionOf(await ssoSignIn("kim")));
      expect(still.user).toMatchObject({ id: kim.id, role: "admin" });
      for (const other of others) await admin(`/api/admin/users/${other.id}`, "PATCH", { disabled: false });
      expect((await me(sessionOf(await ssoSignIn("kim")))).user.role).toBe("reviewer");
    });
  });
}
