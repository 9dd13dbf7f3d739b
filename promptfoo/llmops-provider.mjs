// A promptfoo provider for the llmops gateway (issue 15). In a promptfoo config:
//
//   providers:
//     - id: file://node_modules/llmops/promptfoo/llmops-provider.mjs   # or a path to this file
//       label: summarize/concise
//       config:
//         url: http://localhost:3000      # the app (default: LLMOPS_URL or http://localhost:3000)
//         function: summarize             # or model: fast
//         variant: concise                # optional: pin a variant
//         input: variables                # "variables" (default: the test's vars fill the function's
//                                         #  templates) or "prompt" (promptfoo's rendered prompt as the user message)
//         apiKey: ...                     # optional, sent as a bearer token (default: LLMOPS_API_KEY)
//
// Each answer carries {output, tokenUsage, cost, metadata: {inference_id, variant, ...}}, so
// promptfoo's `cost` and `latency` assertions work and each row links to its recorded inference.
// Cost: `usage.cost` of the gateway's answer when it gives one, else the recorded model calls' cost.

export default class LlmopsProvider {
  constructor(options = {}) {
    this.config = options.config ?? {};
    this.label = options.label;
    this.providerId = options.id ?? "llmops";
    this.baseUrl = String(this.config.url ?? process.env.LLMOPS_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  }

  id() {
    return (
      this.label ?? `llmops:${this.config.function ?? `model::${this.config.model}`}${this.config.variant ? `/${this.config.variant}` : ""}`
    );
  }

  headers() {
    const key = this.config.apiKey ?? process.env.LLMOPS_API_KEY;
    return { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) };
  }

  async callApi(prompt, context) {
    const vars = context?.vars ?? {};
    const target = this.config.function ? { function_name: this.config.function } : { model_name: this.config.model };
    const input =
      this.config.input === "prompt" || !this.config.function
        ? { messages: [{ role: "user", content: String(prompt) }] }
        : { variables: vars };
    const body = {
      ...target,
      input,
      ...(this.config.variant ? { variant_name: this.config.variant } : {}),
      tags: { "llmops.source": "promptfoo", ...(this.config.tags ?? {}) },
    };
    const started = Date.now();
    let res;
    try {
      res = await fetch(`${this.baseUrl}/api/inference`, { method: "POST", headers: this.headers(), body: JSON.stringify(body) });
    } catch (error) {
      return { error: `llmops gateway unreachable at ${this.baseUrl}: ${error.message}` };
    }
    const reply = await res.json().catch(() => ({}));
    if (!res.ok) return { error: `llmops gateway ${res.status}: ${reply?.error?.message ?? JSON.stringify(reply)}` };
    const usage = reply.usage ?? {};
    const cost = typeof usage.cost === "number" ? usage.cost : await this.recordedCost(reply.inference_id, reply.cached);
    const output = reply.output?.content ?? JSON.stringify(reply.output?.tool_calls ?? []);
    return {
      output,
      tokenUsage: {
        prompt: usage.input_tokens ?? 0,
        completion: usage.output_tokens ?? 0,
        total: (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0),
        numRequests: 1,
      },
      cost,
      cached: Boolean(reply.cached),
      latencyMs: Date.now() - started,
      metadata: {
        inference_id: reply.inference_id,
        episode_id: reply.episode_id,
        function: reply.function_name,
        variant: reply.variant_name,
        model: reply.model_name,
        prompt_version: reply.prompt_version,
      },
    };
  }

  async recordedCost(inferenceId, cached) {
    if (cached || !inferenceId) return 0;
    const res = await fetch(`${this.baseUrl}/api/evaluations/cost?inference_id=${encodeURIComponent(inferenceId)}`, {
      headers: this.headers(),
    });
    if (!res.ok) return undefined;
    return (await res.json()).cost;
  }
}
