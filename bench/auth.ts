/**
 * `npm run bench:auth`: what authentication adds to a request (issue 14). The goal: an API key on
 * the gateway's hot path costs < 50 µs. Measured on PGlite (and the machine's Postgres when
 * reachable): a cached key (SHA-256 + a Map lookup, the steady state), a key looked up in Postgres
 * (the first request after the 5 s cache expires), a session cookie (cached the same way),
 * and an anonymous request.
 */
import { rm } from "node:fs/promises";
import { openPostgres, type PostgresStore } from "@/db/client.server";
import { createTestDatabase, tmpDir } from "@/db/test/postgres";
import { authenticate, type HeaderReader } from "@/lib/auth/authenticate.server";
import { clearKeyCache, createKey } from "@/lib/auth/keys.server";
import { createSession, forgetSessions } from "@/lib/auth/sessions.server";
import { createUser } from "@/lib/auth/users.server";

process.env.LLMOPS_AUTH = "on";
const GOAL_US = 50;

function headers(values: Record<string, string>): HeaderReader {
  return (name) => values[name];
}

async function perCall(n: number, call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(n, 200); i++) await call();
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await call();
  return Number(process.hrtime.bigint() - started) / 1000 / n;
}

async function measure(label: string, store: PostgresStore): Promise<void> {
  const db = store.db;
  const { secret } = await createKey(db, { name: "bench", userId: null, role: null, scope: "inference", createdBy: "bench" });
  const user = await createUser(db, { email: `bench-${Date.now()}@example.test`, role: "viewer", password: "a long password" });
  const { token } = await createSession(db, user.id, { address: "", userAgent: "bench" });
  const bearer = headers({ authorization: `Bearer ${secret}` });
  const cookie = headers({ cookie: `llmops_session=${token}` });

  const cached = await perCall(200_000, () => authenticate(bearer, db));
  const uncached = await perCall(300, () => {
    clearKeyCache();
    return authenticate(bearer, db);
  });
  const session = await perCall(200_000, () => authenticate(cookie, db));
  const sessionCold = await perCall(300, () => {
    forgetSessions();
    return authenticate(cookie, db);
  });
  const anonymous = await perCall(200_000, () => authenticate(headers({}), db));
  console.log(`${label}:`);
  console.log(
    `  API key, cached (steady state):   ${cached.toFixed(2)} µs/request  (goal < ${GOAL_US} µs: ${cached < GOAL_US ? "met" : "MISSED"}, ${(GOAL_US / cached).toFixed(0)}× under)`,
  );
  console.log(`  API key, Postgres lookup (cold):  ${uncached.toFixed(0)} µs/request  (once per key per instance every 5 s)`);
  console.log(`  session cookie, cached:           ${session.toFixed(2)} µs/request`);
  console.log(`  session cookie, Postgres join:    ${sessionCold.toFixed(0)} µs/request  (once per session per instance every 5 s)`);
  console.log(`  anonymous:                        ${anonymous.toFixed(2)} µs/request`);
}

async function main() {
  const dir = await tmpDir("bench-auth");
  const pglite = await openPostgres({ dataDir: dir, connectTimeoutMs: 10_000 });
  try {
    await measure("PGlite (embedded)", pglite);
  } finally {
    await pglite.close();
    await rm(dir, { recursive: true, force: true });
  }
  const server = await createTestDatabase().catch(() => undefined);
  if (!server) {
    console.log("Postgres server: not reachable at TEST_DATABASE_URL, skipped");
    return;
  }
  const store = await openPostgres({ url: server.url, dataDir: "", connectTimeoutMs: 10_000 });
  try {
    await measure("Postgres server", store);
  } finally {
    await store.close();
    await server.drop();
  }
}

await main();
