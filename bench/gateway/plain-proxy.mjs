// Reference for the gateway benchmark: the leanest useful proxy (node:http in, undici with a
// keep-alive Agent out, body passed through untouched), i.e. the floor of what any proxy costs on
// this machine. Usage: node plain-proxy.mjs UPSTREAM_PORT. Prints "ready PORT".
import { Buffer } from "node:buffer";
import { createServer } from "node:http";
import { Agent, request } from "undici";

const upstream = `http://127.0.0.1:${process.argv[2]}/v1/chat/completions`;
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 256 });
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    try {
      const up = await request(upstream, {
        method: "POST",
        dispatcher: agent,
        headers: { "content-type": "application/json" },
        body: Buffer.concat(chunks),
      });
      const text = await up.body.text();
      res.writeHead(up.statusCode, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
    } catch (error) {
      res.writeHead(502);
      res.end(String(error));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`ready ${server.address().port}`));
