// `llmops migrate tensorzero`: reads a tensorzero.toml (and the template files it names) and writes
// the same functions, variants, models and metrics as an llmops.toml, listing what it cannot carry
// over. Written from TensorZero's configuration reference; pure apart from reading template files.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse, stringify } from "smol-toml";

/** TensorZero provider types that speak OpenAI's chat completions, with their default base URL. */
const OPENAI_COMPATIBLE = {
  openai: "https://api.openai.com/v1",
  openrouter: "https://openrouter.ai/api/v1",
  together: "https://api.together.xyz/v1",
  groq: "https://api.groq.com/openai/v1",
  deepseek: "https://api.deepseek.com/v1",
  xai: "https://api.x.ai/v1",
  fireworks: "https://api.fireworks.ai/inference/v1",
  mistral: "https://api.mistral.ai/v1",
  hyperbolic: "https://api.hyperbolic.xyz/v1",
  vllm: undefined,
  sglang: undefined,
  tgi: undefined,
};
const DEFAULT_KEY_ENV = { openai: "OPENAI_API_KEY", anthropic: "ANTHROPIC_API_KEY" };
const PARAMS = ["temperature", "top_p", "max_tokens", "seed"];
const NAME = /^[A-Za-z0-9_.-]+$/;
const safe = (name) => (NAME.test(name) ? name : name.replace(/[^A-Za-z0-9_.-]/g, "-"));

function keyEnv(location, type) {
  if (typeof location === "string" && location.startsWith("env::")) return location.slice(5);
  if (location === undefined) return DEFAULT_KEY_ENV[type];
  return undefined;
}

/**
 * @param {string} text the tensorzero.toml
 * @param {{ dir?: string, readTemplate?: (file: string) => string }} options where template paths are resolved
 * @returns {{ toml: string, config: object, notes: string[] }}
 */
export function migrateTensorZero(text, options = {}) {
  const dir = options.dir ?? ".";
  const read = options.readTemplate ?? ((file) => readFileSync(path.resolve(dir, file), "utf8"));
  const tz = parse(text);
  const notes = [];
  const out = { providers: {}, models: {}, functions: {}, metrics: {} };

  function provider(name, p, where) {
    if (p.type === "anthropic") {
      out.providers[name] = {
        type: "anthropic",
        ...(keyEnv(p.api_key_location, "anthropic") ? { api_key_env: keyEnv(p.api_key_location, "anthropic") } : {}),
      };
      return true;
    }
    if (p.type === "dummy") {
      out.providers[name] = { type: "dummy" };
      return true;
    }
    if (Object.hasOwn(OPENAI_COMPATIBLE, p.type)) {
      const base = p.api_base ?? OPENAI_COMPATIBLE[p.type];
      if (!base) {
        notes.push(`${where}: provider type "${p.type}" needs api_base; not carried over`);
        return false;
      }
      const env = keyEnv(p.api_key_location, p.type);
      if (p.api_key_location && !env)
        notes.push(`${where}: api_key_location "${p.api_key_location}" is not env::NAME; set api_key_env by hand`);
      out.providers[name] = { type: "openai", base_url: String(base), ...(env ? { api_key_env: env } : {}) };
      return true;
    }
    notes.push(
      `${where}: provider type "${p.type}" has no equivalent here (OpenAI-compatible, Anthropic and dummy only); not carried over`,
    );
    return false;
  }

  for (const [modelName, model] of Object.entries(tz.models ?? {})) {
    const name = safe(modelName);
    const routing = [];
    for (const providerName of model.routing ?? Object.keys(model.providers ?? {})) {
      const p = model.providers?.[providerName];
      if (!p) continue;
      const id = safe(`${modelName}-${providerName}`);
      if (provider(id, p, `models.${modelName}.providers.${providerName}`))
        routing.push({ provider: id, model: String(p.model_name ?? p.model_id ?? modelName) });
    }
    if (routing.length) out.models[name] = { routing };
    else notes.push(`models.${modelName}: no provider could be carried over; the model is left out`);
  }

  /** `openai::gpt-4o` shorthand names become a model of their own. */
  function modelRef(ref, where) {
    if (out.models[safe(ref)]) return safe(ref);
    const [type, ...rest] = String(ref).split("::");
    if (rest.length === 0) {
      notes.push(`${where}: model "${ref}" is not defined`);
      return undefined;
    }
    const name = safe(`${type}-${rest.join("-")}`);
    if (!out.models[name]) {
      if (!provider(safe(type), { type }, where)) return undefined;
      out.models[name] = { routing: [{ provider: safe(type), model: rest.join("::") }] };
    }
    return name;
  }

  for (const [fnName, fn] of Object.entries(tz.functions ?? {})) {
    const where = `functions.${fnName}`;
    for (const key of ["system_schema", "user_schema", "assistant_schema", "output_schema", "tools", "tool_choice", "parallel_tool_calls"])
      if (fn[key] !== undefined)
        notes.push(`${where}.${key}: not carried over (schemas are not checked here; tools come with each request)`);
    const variants = {};
    const entries = Object.entries(fn.variants ?? {});
    const anyWeight = entries.some(([, v]) => typeof v.weight === "number" && v.weight > 0);
    for (const [variantName, v] of entries) {
      const vw = `${where}.variants.${variantName}`;
      if ((v.type ?? "chat_completion") !== "chat_completion") {
        notes.push(`${vw}: variant type "${v.type}" has no equivalent here; not carried over`);
        continue;
      }
      const model = modelRef(v.model, vw);
      if (!model) continue;
      const variant = { model, weight: anyWeight ? (v.weight ?? 0) : 1 };
      for (const [key, target] of [
        ["system_template", "system"],
        ["user_template", "user"],
      ]) {
        const file = typeof v[key] === "string" ? v[key] : v[key]?.path;
        if (!file) continue;
        try {
          const template = read(file);
          if (/\{%|\{#/.test(template))
            notes.push(`${vw}.${key}: ${file} uses MiniJinja blocks ({% %}); only {{ variables }} are filled here — check it`);
          variant[target] = template;
        } catch (error) {
          notes.push(`${vw}.${key}: cannot read ${file} (${error.message})`);
        }
      }
      if (v.assistant_template) notes.push(`${vw}.assistant_template: not carried over`);
      for (const p of PARAMS) if (typeof v[p] === "number") variant[p] = v[p];
      if (Array.isArray(v.stop_sequences)) variant.stop = v.stop_sequences.slice(0, 4);
      if (fn.type === "json" || (v.json_mode && v.json_mode !== "off")) variant.json_mode = true;
      for (const key of ["presence_penalty", "frequency_penalty", "retries", "extra_body", "extra_headers", "timeouts"])
        if (v[key] !== undefined) notes.push(`${vw}.${key}: not carried over`);
      variants[safe(variantName)] = variant;
    }
    if (Object.keys(variants).length === 0) {
      notes.push(`${where}: no variant could be carried over; the function is left out`);
      continue;
    }
    if (!Object.values(variants).some((v) => v.weight > 0)) for (const v of Object.values(variants)) v.weight = 1;
    out.functions[safe(fnName)] = { ...(fn.description ? { description: String(fn.description) } : {}), variants };
  }

  for (const [metricName, m] of Object.entries(tz.metrics ?? {})) {
    if (m.type !== "boolean" && m.type !== "float") {
      notes.push(`metrics.${metricName}: type "${m.type}" is built in here (comment, demonstration) or unknown; not carried over`);
      continue;
    }
    out.metrics[safe(metricName)] = { type: m.type, optimize: m.optimize ?? "max", level: m.level ?? "inference" };
  }
  for (const key of [
    "gateway",
    "tools",
    "embedding_models",
    "object_storage",
    "evaluations",
    "optimizers",
    "rate_limiting",
    "postgres",
    "provider_types",
  ])
    if (tz[key] !== undefined) notes.push(`${key}: not carried over`);

  const header = `# Converted from tensorzero.toml by \`llmops migrate tensorzero\`.\n${notes.map((n) => `# not carried over / check: ${n}`).join("\n")}\n\n`;
  return { toml: header + stringify(out) + "\n", config: out, notes };
}
