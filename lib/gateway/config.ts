import { parse, TomlError } from "smol-toml";
import { z } from "zod";
import { formatZodIssues } from "@/lib/http/errors";
import { configEvaluator } from "@/lib/evaluations/evaluator-spec";
import { parsePromptRef, PROMPT_NAME, type PromptRef } from "@/lib/registry/prompts";
import { cascadeSchema } from "./cascade";
import { tablePrice, type Price, type PriceSource } from "./pricing";
import { PII_DEFAULTS, piiSchema, storeSchema } from "@/lib/pii/config";
import { functionRetentionSchema, retentionSchema } from "@/lib/retention/config";
import { checkRuntimeEvaluation, runtimeEvaluationSchema } from "@/lib/runtime-evaluation/config";
import { checkGuardrails, guardrailListSchema, guardrailSchema } from "@/lib/guardrails/config";
import { adaptiveSchema, checkExperiments, experimentSchema, mdeSchema } from "./experiment-config";
import { routeRuleSchema } from "./routing";

/**
 * The gateway's configuration file (`llmops.toml`): providers, models (with fallback order and a
 * price table), functions with weighted variants, metrics, and gateway settings. Parsing is pure;
 * errors name the TOML line or the field path, e.g.
 * `functions.summarize.variants.concise.weight: Too small: expected number to be >=0`.
 */

const NAME = /^[A-Za-z0-9_.-]+$/;
const name = (what: string) => z.string().regex(NAME, `${what} names use letters, digits, _ . -`);
const positiveMs = z.number().int().positive();

const openaiProvider = z.strictObject({
  type: z.literal("openai"),
  /** e.g. https://api.openai.com/v1, http://localhost:11434/v1 (Ollama), http://vllm:8000/v1 */
  base_url: z.url(),
  /** Name of the environment variable holding the key; the key itself is never in the file. */
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional(),
  timeout_ms: positiveMs.default(60_000),
  ttft_timeout_ms: positiveMs.default(20_000),
  max_retries: z.number().int().min(0).max(5).default(2),
  retry_backoff_ms: z.number().int().min(0).max(60_000).default(100),
  /**
   * `responses`: the upstream also speaks OpenAI's Responses API, so `POST /openai/v1/responses`
   * is forwarded to its `/responses` natively (responses/native.ts); `chat` (default): translated to chat.
   */
  api: z.enum(["chat", "responses"]).default("chat"),
});

const anthropicProvider = openaiProvider.omit({ api: true }).extend({
  type: z.literal("anthropic"),
  base_url: z.url().default("https://api.anthropic.com/v1"),
  api_version: z.string().default("2023-06-01"),
});

const dummyProvider = z.strictObject({
  type: z.literal("dummy"),
  /** Simulated latency of the whole answer and of the first token, in milliseconds. */
  latency_ms: z.number().int().min(0).max(600_000).default(20),
  ttft_ms: z.number().int().min(0).max(600_000).default(5),
  /** Added per output token, so longer answers take longer. */
  ms_per_output_token: z.number().min(0).max(1000).default(0),
  /** Spread of latencies: each call's is multiplied by exp(jitter × a standard normal draw). */
  latency_jitter: z.number().min(0).max(2).default(0),
  /** Share of calls that fail with a simulated 503 (random), for demos of fallbacks. */
  failure_rate: z.number().min(0).max(1).default(0),
  /** A `{{variable}}` template over the request (`{{last_user}}`, `{{model}}`); default echoes. */
  reply: z.string().optional(),
  timeout_ms: positiveMs.default(60_000),
  ttft_timeout_ms: positiveMs.default(20_000),
  max_retries: z.number().int().min(0).max(5).default(0),
  retry_backoff_ms: z.number().int().min(0).max(60_000).default(10),
});

export const providerSchema = z.discriminatedUnion("type", [openaiProvider, anthropicProvider, dummyProvider]);
export type ProviderConfig = z.infer<typeof providerSchema>;

const routeEntry = z.strictObject({
  provider: name("Provider"),
  /** The model's name at that provider; defaults to the model's own name. */
  model: z.string().min(1).optional(),
});

const modelSchema = z.strictObject({
  /** Providers tried in order: each one's retries first, then the next (fallback). */
  routing: z.array(routeEntry).min(1, "a model needs at least one provider"),
  /** US dollars per million tokens; without it, the bundled table's (lib/gateway/pricing.ts), else 0. */
  price: z.strictObject({ input: z.number().min(0), output: z.number().min(0), cached_input: z.number().min(0).optional() }).optional(),
  /** `chat` (chat completions, responses, functions) or `embedding` (`POST /openai/v1/embeddings`). */
  kind: z.enum(["chat", "embedding"]).default("chat"),
  /** Named `[guardrails.G]` checked on direct calls of this model and on every variant using it (lib/guardrails). */
  guardrails: guardrailListSchema.optional(),
});
/** A model as the gateway holds it: its price resolved (config, else the bundled table) and where it came from. */
export type ModelConfig = Omit<z.infer<typeof modelSchema>, "price"> & { price: Price; price_source: PriceSource };

const params = {
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  max_tokens: z.number().int().positive().optional(),
  seed: z.number().int().optional(),
  stop: z.array(z.string()).max(4).optional(),
  json_mode: z.boolean().optional(),
};

const variantSchema = z
  .strictObject({
    model: name("Model"),
    weight: z.number().min(0).max(1_000_000).default(1),
    /** Inline templates, registered as one chat prompt version in the prompt registry. */
    system: z.string().optional(),
    user: z.string().optional(),
    /** Prompt registry name for inline templates; default `<function>.<variant>`. */
    prompt_name: z.string().regex(PROMPT_NAME).optional(),
    /** Or a registry reference followed at request time: `prompts:/name@alias` or `prompts:/name/3`. */
    prompt: z.string().optional(),
    /** A cascade: this variant's model first, then `cascade.models` while the answer fails the checks (cascade.ts). */
    cascade: cascadeSchema.optional(),
    ...params,
  })
  .refine((v) => !(v.prompt && (v.system !== undefined || v.user !== undefined)), {
    message: "give either `prompt` (a registry reference) or inline `system`/`user` templates, not both",
  });
export type VariantConfig = z.infer<typeof variantSchema>;

const cacheSchema = z.strictObject({
  enabled: z.boolean().default(false),
  ttl_s: z
    .number()
    .int()
    .positive()
    .max(30 * 86_400)
    .default(3600),
});

const functionSchema = z.strictObject({
  description: z.string().default(""),
  variants: z.record(name("Variant"), variantSchema).refine((v) => Object.keys(v).length > 0, "a function needs at least one variant"),
  /** Rules tried before the weighted draw: the first match picks the variant (routing.ts). */
  routing: z.array(routeRuleSchema).default([]),
  /** When every provider of the chosen variant fails, try the other variants (highest weight first). */
  variant_fallback: z.boolean().default(true),
  cache: cacheSchema.default({ enabled: false, ttl_s: 3600 }),
  /** The A/B design per metric (lib/gateway/experiment-config.ts); metrics not listed use `open`. */
  experiments: z.record(name("Metric"), experimentSchema).default({}),
  /** Adaptive allocation: the weights follow a metric (track-and-stop), recomputed once a day. */
  adaptive: adaptiveSchema.optional(),
  /** Evaluators of this function's answers (issue 15), by promptfoo's names: `[functions.F.evaluators.E]`. */
  evaluators: z
    .record(z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, "evaluator names use letters, digits, _ . : -"), configEvaluator)
    .default({}),
  /** A share of production inferences scored by those evaluators in the background (lib/runtime-evaluation). */
  runtime_evaluation: runtimeEvaluationSchema.optional(),
  /** What of its inputs and outputs is kept at rest: all, PII masked, or nothing (lib/pii); default `[pii] default_store`. */
  store: storeSchema.optional(),
  /** Days its rows are kept, overriding `[retention]` (lib/retention). */
  retention: functionRetentionSchema.optional(),
  /** Named `[guardrails.G]` checked on its inputs and outputs (lib/guardrails). */
  guardrails: guardrailListSchema.optional(),
});
export type FunctionConfig = z.infer<typeof functionSchema>;

const metricSchema = z.strictObject({
  type: z.enum(["boolean", "float"]),
  optimize: z.enum(["max", "min"]).default("max"),
  level: z.enum(["inference", "episode"]).default("inference"),
  description: z.string().default(""),
  /** Minimum detectable effect: absolute (`0.02`) or relative to the control (`"5%"`). */
  mde: mdeSchema.optional(),
});
export type MetricConfig = z.infer<typeof metricSchema>;

const gatewaySchema = z.strictObject({
  max_body_bytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
});

const recorderSchema = z.strictObject({
  /** Off: nothing is logged (load tests of the proxy alone); on by default. */
  enabled: z.boolean().default(true),
  /**
   * Rows per insert; a batch is written when it is this big or `flush_ms` after its first row.
   * Embedded ClickHouse spends ~180 µs of CPU per row in batches of 100 but ~30 µs in batches of
   * 2,000 (bench), so the defaults favour fewer, larger inserts.
   */
  batch_size: z.number().int().min(1).max(100_000).default(5000),
  flush_ms: z.number().int().min(10).max(60_000).default(1000),
  /** Bound on buffered rows (all tables) while ClickHouse is slow or down; beyond it the oldest are dropped and counted. */
  max_buffered_rows: z.number().int().min(100).max(10_000_000).default(100_000),
  /** Bound on the buffered rows' JSON bytes, which is also the spool's bound on disk. */
  max_buffered_bytes: z
    .number()
    .int()
    .min(1 << 20)
    .default(1 << 30),
  /** The write-ahead spool under LLMOPS_DATA_DIR/spool: rows survive a crash until written (README). */
  spool: z.boolean().default(true),
  /** How often the spool is fsync'd: what a power loss (not a crash) can take. */
  fsync_ms: z.number().int().min(10).max(60_000).default(200),
});

export const configSchema = z
  .strictObject({
    gateway: gatewaySchema.default({ max_body_bytes: 1024 * 1024 }),
    recorder: recorderSchema.default({
      enabled: true,
      batch_size: 5000,
      flush_ms: 1000,
      max_buffered_rows: 100_000,
      max_buffered_bytes: 1 << 30,
      spool: true,
      fsync_ms: 200,
    }),
    providers: z.record(name("Provider"), providerSchema).default({}),
    models: z.record(name("Model"), modelSchema).default({}),
    functions: z.record(name("Function"), functionSchema).default({}),
    metrics: z.record(name("Metric"), metricSchema).default({}),
    /** PII detection and the default `store` of function bodies (lib/pii). */
    pii: piiSchema.default(PII_DEFAULTS),
    /** Default days rows are kept (ClickHouse TTLs, Postgres copies); unset keeps forever (lib/retention). */
    retention: retentionSchema.default({}),
    /** Input and output checks, listed by name in functions and models (lib/guardrails). */
    guardrails: z.record(name("Guardrail"), guardrailSchema).default({}),
  })
  .superRefine((config, ctx) => {
    for (const [modelName, model] of Object.entries(config.models)) {
      model.routing.forEach((entry, i) => {
        if (!config.providers[entry.provider]) {
          ctx.addIssue({
            code: "custom",
            path: ["models", modelName, "routing", i, "provider"],
            message: `unknown provider "${entry.provider}"`,
          });
        } else if (model.kind === "embedding" && config.providers[entry.provider]!.type === "anthropic") {
          ctx.addIssue({
            code: "custom",
            path: ["models", modelName, "routing", i, "provider"],
            message: `provider "${entry.provider}" (anthropic) has no embeddings API`,
          });
        }
      });
    }
    for (const [fnName, fn] of Object.entries(config.functions)) {
      if (fnName.includes("::")) ctx.addIssue({ code: "custom", path: ["functions", fnName], message: "function names cannot contain ::" });
      for (const [variantName, variant] of Object.entries(fn.variants)) {
        const path = ["functions", fnName, "variants", variantName];
        if (!config.models[variant.model])
          ctx.addIssue({ code: "custom", path: [...path, "model"], message: `unknown model "${variant.model}"` });
        else if (config.models[variant.model]!.kind !== "chat")
          ctx.addIssue({ code: "custom", path: [...path, "model"], message: `model "${variant.model}" is an embedding model` });
        if (variant.prompt) {
          try {
            parsePromptRef(variant.prompt);
          } catch (error) {
            ctx.addIssue({ code: "custom", path: [...path, "prompt"], message: (error as Error).message });
          }
        }
      }
      checkModelChoice(config, fnName, fn, (path, message) => ctx.addIssue({ code: "custom", path, message }));
      if (!Object.values(fn.variants).some((v) => v.weight > 0)) {
        ctx.addIssue({ code: "custom", path: ["functions", fnName, "variants"], message: "at least one variant needs a weight above 0" });
      }
    }
    checkExperiments(config, (path, message) => ctx.addIssue({ code: "custom", path, message }));
    checkRuntimeEvaluation(config, (path, message) => ctx.addIssue({ code: "custom", path, message }));
    checkGuardrails(config, (path, message) => ctx.addIssue({ code: "custom", path, message }));
    for (const metricName of Object.keys(config.metrics)) {
      if (metricName === "comment" || metricName === "demonstration") {
        ctx.addIssue({ code: "custom", path: ["metrics", metricName], message: `"${metricName}" is reserved for feedback kinds` });
      }
    }
  })
  .transform(({ models, ...rest }) => ({
    ...rest,
    models: Object.fromEntries(Object.entries(models).map(([name, model]) => [name, resolvePrice(name, model)])) as Record<
      string,
      ModelConfig
    >,
  }));

function resolvePrice(name: string, model: z.infer<typeof modelSchema>): ModelConfig {
  if (model.price) return { ...model, price: model.price, price_source: "config" };
  const found = tablePrice(model.routing[0]?.model ?? name) ?? tablePrice(name);
  return { ...model, price: found ?? { input: 0, output: 0 }, price_source: found ? "table" : "none" };
}

export type GatewayConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses and validates a config file's text; `source` names the file in error messages. */
export function parseConfig(text: string, source = "llmops.toml"): GatewayConfig {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const first = error.message.split("\n")[0] ?? error.message;
      throw new ConfigError(`${source}:${error.line}:${error.column}: ${first.replace(/^Invalid TOML document: /, "")}`);
    }
    throw error;
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = formatZodIssues(result.error).map((i) => `  ${i.path || "(top level)"}: ${i.message}`);
    throw new ConfigError(`${source} is invalid:\n${lines.join("\n")}`);
  }
  return result.data;
}

/** Where a variant's prompt comes from. */
export type PromptSource =
  { kind: "none" } | { kind: "inline"; name: string; system?: string; user?: string } | { kind: "ref"; ref: PromptRef };

export function promptSource(functionName: string, variantName: string, variant: VariantConfig): PromptSource {
  if (variant.prompt) return { kind: "ref", ref: parsePromptRef(variant.prompt) };
  if (variant.system === undefined && variant.user === undefined) return { kind: "none" };
  return { kind: "inline", name: variant.prompt_name ?? `${functionName}.${variantName}`, system: variant.system, user: variant.user };
}

/** Routing rules name variants of their function; cascades name models and the function's evaluators. */
function checkModelChoice(
  config: { models: Record<string, unknown> },
  fnName: string,
  fn: {
    routing: { variant: string }[];
    variants: Record<string, { cascade?: { models: string[]; evaluator?: string } }>;
    evaluators: Record<string, unknown>;
  },
  issue: (path: (string | number)[], message: string) => void,
): void {
  fn.routing.forEach((rule, i) => {
    if (!fn.variants[rule.variant]) issue(["functions", fnName, "routing", i, "variant"], `unknown variant "${rule.variant}"`);
  });
  for (const [variantName, variant] of Object.entries(fn.variants)) {
    const path = ["functions", fnName, "variants", variantName, "cascade"];
    variant.cascade?.models.forEach((model, i) => {
      if (!config.models[model]) issue([...path, "models", i], `unknown model "${model}"`);
    });
    const evaluator = variant.cascade?.evaluator;
    if (evaluator && !fn.evaluators[evaluator])
      issue([...path, "evaluator"], `unknown evaluator "${evaluator}"; declare it as [functions.${fnName}.evaluators.${evaluator}]`);
  }
}
