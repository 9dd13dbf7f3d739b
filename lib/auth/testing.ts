import { postgresBackends, type PostgresBackend } from "@/db/test/postgres";
import { openTestStores, startTestGateway, type TestGateway, type TestStores } from "@/lib/gateway/testing/harness";
import { startTestAppServer, type TestAppServer } from "@/lib/http/testing/app-server";
import { bootstrapAuth } from "./bootstrap.server";
import { createKey } from "./keys.server";
import type { Role, Scope } from "./roles";

/**
 * The auth tests' app: real stores, a gateway on the dummy provider, the route handlers over HTTP
 * (lib/http/testing/app-server.ts), registered where the handlers find them, with auth on and the
 * first admin and admin key made as start-up makes them.
 */
export const AUTH_TEST_CONFIG = `
[providers.echo]
type = "dummy"
latency_ms = 0
ttft_ms = 0

[models.m]
routing = [{ provider = "echo", model = "echo-1" }]

[functions.greet.variants.a]
model = "m"
user = "Greet {{name}}"

[metrics.helpful]
type = "boolean"
`;

const STORES = Symbol.for("llmops.stores");
const GATEWAY = Symbol.for("llmops.gateway.instance");
const slots = globalThis as Record<symbol, unknown>;

export interface AuthTestApp {
  env: TestStores;
  gw: TestGateway;
  app: TestAppServer;
  /** A service key with a role or a scope, as an admin would make it. */
  serviceKey(name: string, grant: { role?: Role; scope?: Scope }): Promise<string>;
  close(): Promise<void>;
}

export async function startAuthTestApp(
  backend: PostgresBackend = postgresBackends[0]!,
  admin: { LLMOPS_ADMIN_EMAIL?: string; LLMOPS_ADMIN_PASSWORD?: string; LLMOPS_ADMIN_API_KEY?: string } = {},
): Promise<AuthTestApp> {
  process.env.LLMOPS_AUTH = "on";
  const env = await openTestStores(backend);
  slots[STORES] = Promise.resolve(env.stores);
  const gw = await startTestGateway(env.stores, AUTH_TEST_CONFIG);
  slots[GATEWAY] = Promise.resolve(gw.gateway);
  const app = await startTestAppServer(gw.gateway);
  await bootstrapAuth(env.stores.postgres.db, admin);
  return {
    env,
    gw,
    app,
    async serviceKey(name, grant) {
      const { secret } = await createKey(env.stores.postgres.db, {
        name,
        userId: null,
        role: grant.role ?? null,
        scope: grant.scope ?? null,
        createdBy: "test",
      });
      return secret;
    },
    async close() {
      delete slots[STORES];
      delete slots[GATEWAY];
      await app.close();
      await gw.close();
      await env.cleanup();
    },
  };
}
