import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openPostgres } from "@/db/client.server";
import { appMeta } from "@/db/schema";
import { createTestDatabase, postgresBackends, type TestPostgres } from "@/db/test/postgres";
import { StoreUnavailableError } from "@/lib/stores/errors";

describe.each(postgresBackends)("Postgres store on $name", (backend) => {
  let opened: TestPostgres | undefined;
  afterEach(async () => {
    await opened?.cleanup();
    opened = undefined;
  });

  it("applies every migration and reports its engine", async () => {
    opened = await backend.open();
    const { store } = opened;
    expect(store.kind).toBe(backend.name === "pglite" ? "embedded" : "server");
    expect(await store.version()).toMatch(/^\d+(\.\d+)?/);
    const status = await store.migrations();
    expect(status.known).toBeGreaterThan(0);
    expect(status.applied).toBe(status.known);
    expect(status.latest).toMatch(/^\d{4}_/);
  });

  it("keeps data across a close and reopen, without re-running migrations", async () => {
    opened = await backend.open();
    await opened.store.db.insert(appMeta).values({ key: "greeting", value: { hello: "world" } });
    await opened.store.close();

    const reopened = await openPostgres(opened.options);
    opened = { ...opened, store: reopened };
    const rows = await reopened.db.select().from(appMeta).where(eq(appMeta.key, "greeting"));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.value).toEqual({ hello: "world" });
    const status = await reopened.migrations();
    expect(status.applied).toBe(status.known);
  });
});

describe("Postgres server", () => {
  it("migrates exactly once when several app servers start at the same moment", async () => {
    const database = await createTestDatabase();
    try {
      const options = { url: database.url, dataDir: "/nonexistent", connectTimeoutMs: 10_000 };
      const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgres(options)));
      for (const store of stores) {
        const status = await store.migrations();
        expect(status.applied).toBe(status.known);
      }
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await database.drop();
    }
  });

  it("fails fast with a message naming DATABASE_URL when the server is unreachable", async () => {
    const started = Date.now();
    const attempt = openPostgres({ url: "postgres://postgres:secret@127.0.0.1:1/nowhere", dataDir: "/x", connectTimeoutMs: 2_000 });
    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(attempt).rejects.toThrow(
      /Cannot use Postgres at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere \(DATABASE_URL\): .*ECONNREFUSED/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
