import { postgresBackends, type PostgresBackend } from "@/db/test/postgres";
import { startTestApp, type TestApp } from "@/lib/http/testing/app-server";
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

export interface AuthTestApp extends TestApp {
  /** A service key with a role or a scope, as an admin would make it. */
  serviceKey(name: string, grant: { role?: Role; scope?: Scope }): Promise<string>;
}

export async function startAuthTestApp(
  backend: PostgresBackend = postgresBackends[0]!,
  admin: { LLMOPS_ADMIN_EMAIL?: string; LLMOPS_ADMIN_PASSWORD?: string; LLMOPS_ADMIN_API_KEY?: string } = {},
): Promise<AuthTestApp> {
  process.env.LLMOPS_AUTH = "on";
  const started = await startTestApp(AUTH_TEST_CONFIG, backend);
  await bootstrapAuth(started.env.stores.postgres.db, admin);
  return {
    ...started,
    async serviceKey(name, grant) {
      const { secret } = await createKey(started.env.stores.postgres.db, {
        name,
        userId: null,
        role: grant.role ?? null,
        scope: grant.scope ?? null,
        createdBy: "test",
      });
      return secret;
    },
  };
}
