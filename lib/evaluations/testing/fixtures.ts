import { json, startUpstream, type Upstream } from "@/lib/gateway/testing/upstream";

/**
 * A local OpenAI-compatible upstream for evaluation tests and the benchmark: the model `answer`
 * answers "answer to <question>" (the `Terse:` prompt answers "wrong" for every fifth item, a
 * deterministic regression), and the model `judge` scores an OUTPUT 0.9 unless it says "wrong"
 * (then 0.2), as JSON {score, reasoning}. `latencyMs` delays every answer.
 */
export async function startEvalUpstream(latencyMs = 0): Promise<Upstream> {
  return startUpstream(async (req, res) => {
    if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs));
    const messages = (req.body.messages ?? []) as { role: string; content: string }[];
    const last = messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
    let reply: string;
    if (req.body.model === "judge") {
      const output = /OUTPUT:\n([\s\S]*?)(\n\nREFERENCE ANSWER:|$)/.exec(last)?.[1] ?? "";
      const score = output.includes("wrong") ? 0.2 : 0.9;
      reply = JSON.stringify({ score, reasoning: score > 0.5 ? "answers the question" : "wrong answer" });
    } else {
      const terse = /^Terse: item-(\d+)/.exec(last);
      const question = /item-\d+/.exec(last)?.[0] ?? last;
      reply = terse && Number(terse[1]) % 5 === 0 ? "wrong" : `answer to ${question}`;
    }
    json(res, 200, {
      id: "chatcmpl-eval",
      object: "chat.completion",
      created: 1,
      model: req.body.model,
      choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }],
      usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
    });
  });
}

/** A gateway config for the eval upstream: function `qa` with variants `good` and `terse`. */
export function evalConfig(upstreamUrl: string, extra = ""): string {
  return `
[recorder]
flush_ms = 50

[providers.up]
type = "openai"
base_url = "${upstreamUrl}/v1"
max_retries = 0

[models.answer]
routing = [{ provider = "up", model = "answer" }]
price = { input = 1.0, output = 2.0 }

[models.judge]
routing = [{ provider = "up", model = "judge" }]
price = { input = 0.5, output = 0.5 }

[functions.qa.variants.good]
model = "answer"
user = "Question: {{q}}"

[functions.qa.variants.terse]
model = "answer"
user = "Terse: {{q}}"
weight = 0

[functions.qa.evaluators.mentions]
type = "icontains"
value = "answer"
${extra}`;
}

/** `count` items `item-0 … item-N` expecting "answer to item-N". */
export const evalItems = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ input: { variables: { q: `item-${i}` } }, expected_output: `answer to item-${i}` }));
