import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { mlflowTestClient } from "@/db/test/mlflow";
import { postgresBackends, tmpDir, type TestPostgres } from "@/db/test/postgres";
import { openLocalStore } from "@/lib/artifacts/local-store.server";
import type { ArtifactStore } from "@/lib/artifacts/store";
import { parseConfig } from "@/lib/gateway/config";
import type { Gateway } from "@/lib/gateway/gateway.server";
import { GATEWAY_PATHS, handleGatewayRequest } from "@/lib/gateway/http.server";
import { createGateway } from "@/lib/gateway/runtime.server";
import { claimNext } from "@/lib/labelling/claims.server";
import { createQueue } from "@/lib/labelling/queues.server";
import type { Stores } from "@/lib/stores/index.server";
import { gatewayCases, loadProxy, ROOT, ROUTES, routeCases, runAll, type Case } from "./fuzz-cases";

/**
 * Every route of the three surfaces, found at run time (app/**\/route.ts, the gateway's path table,
 * the MLflow endpoint table), gets a corpus of malformed requests on real stores (one Postgres
 * backend per test file, so PGlite and the server run in parallel; chDB): wrong methods and
 * content types, broken, empty, huge and deep JSON, NUL and lone surrogates, bad percent-encoding,
 * huge names, unsafe integers, out-of-range dates, wrong JSON types per field. Any 5xx, or any 4xx
 * without a message in the surface's dialect, fails; the full list goes to test-results/.
 */
const CONFIG = `
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

[metrics.score]
type = "float"
`;

const STORES = Symbol.for("llmops.stores");
const GATEWAY = Symbol.for("llmops.gateway.instance");
const ARTIFACTS = Symbol.for("llmops.artifacts");
type Registry = { [STORES]?: Promise<Stores>; [GATEWAY]?: Promise<Gateway>; [ARTIFACTS]?: ArtifactStore };

/** The suite on one Postgres backend (and a chDB of its own). */
export function describeFuzz(backendName: "pglite" | "postgres"): void {
  const backend = postgresBackends.find((b) => b.name === backendName);
  // Runs unless a developer narrowed the backends with TEST_POSTGRES_BACKENDS (npm test runs both).
  describe.skipIf(!backend)(`fuzz on ${backendName}: every route answers malformed requests with a 4xx that says what is wrong`, () => {
    let ch: TestClickHouse;
    let pg: TestPostgres;
    let gateway: Gateway;
    let server: Server;
    let url: string;
    let seeds: Record<string, unknown>;
    let artifactDir: string | undefined;

    beforeAll(async () => {
      [ch, pg] = await Promise.all([openTestClickHouse(), backend!.open()]);
      const stores: Stores = { postgres: pg.store, clickhouse: ch.store, close: async () => undefined };
      gateway = await createGateway(stores, parseConfig(CONFIG, "fuzz.toml"));
      // The route modules reach the stores and the gateway through the process registry.
      const registry = globalThis as Registry;
      registry[STORES] = Promise.resolve(stores);
      registry[GATEWAY] = Promise.resolve(gateway);
      artifactDir = await tmpDir("fuzz-artifacts");
      registry[ARTIFACTS] = openLocalStore(artifactDir, 5 * 1024 * 1024);
      server = createServer((req, res) => void handleGatewayRequest(async () => gateway, req, res));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      seeds = await seed(stores, gateway);
    });
    afterAll(async () => {
      const registry = globalThis as Registry;
      delete registry[STORES];
      delete registry[GATEWAY];
      delete registry[ARTIFACTS];
      if (artifactDir) await rm(artifactDir, { recursive: true, force: true });
      server?.closeAllConnections();
      await new Promise((r) => server?.close(r));
      await gateway?.recorder.close(5_000);
      await Promise.allSettled([pg?.cleanup(), ch?.cleanup()]);
    });

    it("has no 5xx and no 4xx without a message", async () => {
      const started = Date.now();
      const proxy = await loadProxy();
      const cases: Case[] = [];
      for (const route of ROUTES) cases.push(...(await routeCases(route, proxy, seeds)));
      cases.push(...(await gatewayCases(url, seeds)));
      const { failures, fivexx, slowest } = await runAll(cases);
      console.log(
        `[fuzz] ${backendName}: ${cases.length} requests over ${ROUTES.length} route files and ${GATEWAY_PATHS.length} gateway paths; ` +
          `${fivexx} × 5xx, ${failures.length} failures; ${((Date.now() - started) / 1000).toFixed(1)} s; slowest routes: ${slowest}`,
      );
      // The whole list, for whoever fixes them; the log shows the first ones.
      const report = path.join(ROOT, "test-results", `fuzz-${backendName}.txt`);
      rmSync(report, { force: true });
      if (failures.length) {
        mkdirSync(path.dirname(report), { recursive: true });
        writeFileSync(report, failures.join("\n") + "\n");
        console.log(failures.slice(0, 100).join("\n"));
      }
      // The recorder took every answered inference: a poisoned batch would stop the next one.
      const after = await gateway.infer({ functionName: "greet", variables: { name: "after" } }, { signal: new AbortController().signal });
      await gateway.recorder.flush();
      const [found] = await (
        await ch.store.client.query({
          query: "SELECT count() AS n FROM inferences WHERE id = {id:UUID}",
          query_params: { id: after.inferenceId },
          format: "JSONEachRow",
        })
      ).json<{ n: string | number }>();
      expect(failures).toEqual([]);
      expect(Number(found?.n)).toBe(1);
    }, 600_000);
  });
}

/** Entities the corpus can name, so broken fields reach the stores rather than a 404. */
async function seed(stores: Stores, gateway: Gateway): Promise<Record<string, unknown>> {
  const ctx = { db: stores.postgres.db, clickhouse: stores.clickhouse.client };
  const client = mlflowTestClient(ctx);
  const any = z.object({}).passthrough();
  const suffix = Math.random().toString(36).slice(2, 8);
  const { experiment_id } = await client.ok(
    "POST",
    "/experiments/create",
    { name: `fuzz-${suffix}` },
    z.object({ experiment_id: z.string() }),
  );
  const { run } = await client.ok(
    "POST",
    "/runs/create",
    { experiment_id },
    z.object({ run: z.object({ info: z.object({ run_id: z.string() }) }) }),
  );
  const runId = run.info.run_id;
  await client.ok("POST", "/runs/log-metric", { run_id: runId, key: "loss", value: 1, timestamp: 1, step: 0 }, any);
  const model = `fuzz-model-${suffix}`;
  await client.ok("POST", "/registered-models/create", { name: model }, any);
  await client.ok("POST", "/model-versions/create", { name: model, source: "s3://x", run_id: runId }, any);
  await client.ok("POST", "/registered-models/alias", { name: model, alias: "champion", version: "1" }, any);
  const inference = await gateway.infer({ functionName: "greet", variables: { name: "seed" } }, { signal: new AbortController().signal });
  await gateway.recorder.flush();
  const queue = await createQueue(ctx, {
    name: `fuzz-queue-${suffix}`,
    filter: { function: "greet" },
    fields: [{ key: "ok", type: "boolean" }],
  });
  const { item } = await claimNext(ctx, { queueId: queue.id, reviewer: "fuzzer" });
  return {
    run_id: runId,
    run_uuid: runId,
    experiment_id,
    experiment_ids: [experiment_id],
    name: model,
    version: "1",
    key: "loss",
    metric_key: "loss",
    stage: "Staging",
    from: new Date(Date.now() - 86_400_000).toISOString(),
    to: new Date().toISOString(),
    alias: "champion",
    inference_id: inference.inferenceId,
    ":runId": runId,
    ":id": inference.inferenceId,
    ":version": "1",
    ":name": model,
    ":queueId": queue.id,
    ":claimId": String(item?.claimId ?? 1),
    reviewer: "fuzzer",
    "/api/functions/[name]:name": "greet",
    "/api/functions/[name]/ab:name": "greet",
  };
}
