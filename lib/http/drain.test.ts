import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { drainable } from "@/scripts/http-drain.mjs";

/** scripts/http-drain.mjs: what the app's server does on SIGTERM before its stores close. */
const get = (port: number, path: string, agent: Agent) =>
  new Promise<{ status: number; connection: string | undefined; frameOptions: string | undefined; body: string }>((resolve, reject) => {
    const req = request({ port, host: "127.0.0.1", path, agent }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () =>
        resolve({
          status: res.statusCode!,
          connection: res.headers.connection,
          frameOptions: res.headers["x-frame-options"] as string | undefined,
          body,
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });

describe("draining the HTTP server", () => {
  let server: Server | undefined;
  afterEach(() => server?.closeAllConnections());

  it("refuses new requests on kept-alive sockets with 503, lets those in flight finish, then closes", async () => {
    server = createServer();
    const http = drainable(server, { graceMs: 5_000 });
    server.on(
      "request",
      http.wrap((req, res) => {
        const delay = req.url === "/slow" ? 400 : 0;
        setTimeout(() => res.end(JSON.stringify({ ok: req.url })), delay);
      }),
    );
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const idle = new Agent({ keepAlive: true, maxSockets: 1 });
    const busy = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(port, "/fast", idle)).status).toBe(200); // its socket stays open, idle

    const slow = get(port, "/slow", busy);
    await new Promise((r) => setTimeout(r, 100));
    const drained = http.drain();
    const refused = await get(port, "/fast", idle);
    expect(refused.status).toBe(503);
    expect(refused.connection).toBe("close");
    expect(refused.frameOptions).toBe("DENY");
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "unavailable" } });
    const mlflow = await get(port, "/api/2.0/mlflow/runs/get", new Agent({ keepAlive: false })).catch((error: Error) => error);
    // New connections are no longer accepted.
    expect(mlflow).toBeInstanceOf(Error);
    const finished = await slow;
    expect(finished).toMatchObject({ status: 200, connection: "close" });
    await drained;
    expect(server.listening).toBe(false);
    idle.destroy();
    busy.destroy();
  });
});
