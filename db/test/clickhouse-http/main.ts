/**
 * `npm run clickhouse:http [-- --port 8123 --data-dir ./.data/chhttp --control-port 8124]`: the
 * ClickHouse HTTP fixture as a process, for pointing CLICKHOUSE_URL (or TEST_CLICKHOUSE_URL) at it.
 * Prints one JSON line `{"url", "dataDir", "version", "control"}` once it listens. With
 * `--control-port`, faults are driven over HTTP: POST /stop, /start, /slow?seconds=N,
 * /fail?n=N[&only=any], /reset; GET /stats.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { startClickHouseHttp, type ClickHouseHttpFixture } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8123" },
    host: { type: "string", default: "127.0.0.1" },
    "data-dir": { type: "string" },
    user: { type: "string" },
    password: { type: "string" },
    "control-port": { type: "string" },
  },
});

const fixture = await startClickHouseHttp({
  port: Number(values.port),
  host: values.host,
  dataDir: values["data-dir"],
  user: values.user,
  password: values.password,
});

let control: string | undefined;
if (values["control-port"] !== undefined) control = await startControl(fixture, Number(values["control-port"]));
console.log(JSON.stringify({ url: fixture.url, dataDir: fixture.dataDir, version: fixture.version, control }));

let closing = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    void fixture.close().then(() => process.exit(0));
  });
}

async function startControl(target: ClickHouseHttpFixture, port: number): Promise<string> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://control");
    const number = (name: string) => Number(url.searchParams.get(name) ?? "0");
    const actions: Record<string, () => Promise<void> | void> = {
      "POST /stop": () => target.stop({ abort: url.searchParams.get("abort") === "1" }),
      "POST /start": () => target.start(),
      "POST /slow": () => target.slowInserts(number("seconds")),
      "POST /fail": () => target.failNext(number("n"), { only: url.searchParams.get("only") === "any" ? "any" : "insert" }),
      "POST /reset": () => target.reset(),
      "GET /stats": () => undefined,
    };
    const action = actions[`${req.method} ${url.pathname}`];
    if (!action) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: `no control ${req.method} ${url.pathname}` }));
      return;
    }
    void Promise.resolve(action()).then(
      () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(target.stats())),
      (error: unknown) => res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: String(error) })),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
