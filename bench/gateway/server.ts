// The gateway as the benchmark runs it: the same lean handler the app serves (lib/gateway/
// http.server.ts on node:http), on embedded stores in a temporary folder, with the config given in
// LLMOPS_CONFIG. Prints "ready PORT"; on SIGTERM prints the recorder's figures as JSON and exits.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { handleGatewayRequest } from "@/lib/gateway/http.server";
import { createGateway, loadConfigFile } from "@/lib/gateway/runtime.server";
import { parseEnv } from "@/lib/env.server";
import { openStores } from "@/lib/stores/index.server";

const stores = await openStores(parseEnv(process.env));
const gateway = await createGateway(stores, await loadConfigFile());
const server = createServer((req, res) => void handleGatewayRequest(async () => gateway, req, res));
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`ready ${(server.address() as AddressInfo).port}`));
process.once("SIGTERM", () => {
  void (async () => {
    server.closeAllConnections();
    await gateway.recorder.close();
    await gateway.budgets?.close();
    const [row] = await (
      await stores.clickhouse.client.query({ query: "SELECT count() AS n FROM inferences", format: "JSONEachRow" })
    ).json<{ n: string }>();
    console.log(`stats ${JSON.stringify({ ...gateway.recorder.stats(), inferencesInClickHouse: Number(row?.n ?? 0) })}`);
    await stores.close();
    process.exit(0);
  })();
});
