// The benchmark's stand-in LLM: an OpenAI-compatible chat completions endpoint that answers at
// once with a fixed body, on plain node:http. Prints "ready PORT" when listening.
import { Buffer } from "node:buffer";
import { createServer } from "node:http";

const body = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1,
  model: "bench",
  choices: [
    { index: 0, message: { role: "assistant", content: "A short and constant answer from the mock upstream." }, finish_reason: "stop" },
  ],
  usage: { prompt_tokens: 24, completion_tokens: 11, total_tokens: 35 },
});

// Embeddings: 16 vectors of 256 numbers (the benchmark's batch), whatever the input.
const vector = Array.from({ length: 256 }, (_, i) => Math.sin(i) / 8);
const embeddings = JSON.stringify({
  object: "list",
  model: "bench-embed",
  data: Array.from({ length: 16 }, (_, index) => ({ object: "embedding", index, embedding: vector })),
  usage: { prompt_tokens: 160, total_tokens: 160 },
});

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const answer = req.url?.endsWith("/embeddings") ? embeddings : body;
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`ready ${server.address().port}`));
