import { AppError } from "@/lib/http/errors";
import { FUNCTION_PREFIX, MODEL_PREFIX } from "../wire";

/**
 * TensorZero's names on the OpenAI route: `model: "tensorzero::function_name::X"` or
 * `"tensorzero::model_name::X"`, and its extra body fields (`tensorzero::episode_id`,
 * `tensorzero::variant_name`, `tensorzero::tags`, `tensorzero::dryrun`, `tensorzero::cache_options`,
 * text parts with `tensorzero::arguments`). The body is rewritten into the gateway's own form
 * (`function::X` and the `llmops` extension) before the usual parsing; fields with no meaning here
 * are dropped and listed.
 */
export const TZ_PREFIX = "tensorzero::";
const TZ_FUNCTION = "tensorzero::function_name::";
const TZ_MODEL = "tensorzero::model_name::";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

export interface TzOpenAIRewrite {
  body: Json;
  ignored: string[];
}

/** Undefined when the body uses none of TensorZero's names (the usual path, untouched). */
export function fromTensorZeroOpenAI(raw: unknown): TzOpenAIRewrite | undefined {
  if (!isObject(raw)) return undefined;
  const model = typeof raw.model === "string" ? raw.model : "";
  const tzKeys = Object.keys(raw).filter((k) => k.startsWith(TZ_PREFIX));
  const usesArguments = JSON.stringify(raw.messages ?? null).includes(`"${TZ_PREFIX}arguments"`);
  if (!model.startsWith(TZ_PREFIX) && tzKeys.length === 0 && !usesArguments) return undefined;

  const body: Json = {};
  for (const [k, v] of Object.entries(raw)) if (!k.startsWith(TZ_PREFIX)) body[k] = v;
  if (model.startsWith(TZ_FUNCTION)) body.model = FUNCTION_PREFIX + model.slice(TZ_FUNCTION.length);
  else if (model.startsWith(TZ_MODEL)) body.model = MODEL_PREFIX + model.slice(TZ_MODEL.length);
  else if (model.startsWith(TZ_PREFIX))
    throw new AppError("not_found", `unknown model "${model}": use tensorzero::function_name::NAME or tensorzero::model_name::NAME`, {
      field: "model",
    });

  const ext: Json = isObject(raw.llmops) ? { ...raw.llmops } : {};
  const ignored: string[] = [];
  for (const key of tzKeys) {
    const value = raw[key];
    if (value === null || value === undefined) continue;
    switch (key.slice(TZ_PREFIX.length)) {
      case "episode_id":
        ext.episode_id = value;
        break;
      case "variant_name":
        ext.variant = value;
        break;
      case "tags":
        if (isObject(value) && Object.keys(value).length > 0) ext.tags = value;
        break;
      case "dryrun":
        ext.dryrun = value;
        break;
      case "cache_options": {
        const mode = isObject(value) ? value.enabled : undefined;
        const ttl = isObject(value) && typeof value.max_age_s === "number" ? value.max_age_s : undefined;
        if (mode === "on" || mode === "read_only") ext.cache = { enabled: true, ...(ttl ? { ttl_s: ttl } : {}) };
        else if (mode === "off") ext.cache = { enabled: false };
        break;
      }
      default:
        if (!(Array.isArray(value) && value.length === 0) && !(isObject(value) && Object.keys(value).length === 0)) ignored.push(key);
    }
  }

  // Template arguments: `{"type": "text", "tensorzero::arguments": {...}}` parts, and the older
  // system message whose content is a list of plain objects.
  if (Array.isArray(raw.messages)) {
    let variables: Json | undefined = isObject(ext.variables) ? ext.variables : undefined;
    const messages: unknown[] = [];
    for (const message of raw.messages) {
      if (!isObject(message) || !Array.isArray(message.content)) {
        messages.push(message);
        continue;
      }
      const kept: unknown[] = [];
      for (const part of message.content) {
        if (isObject(part) && isObject(part[`${TZ_PREFIX}arguments`]))
          variables = { ...variables, ...(part[`${TZ_PREFIX}arguments`] as Json) };
        else if (message.role === "system" && isObject(part) && part.type === undefined) variables = { ...variables, ...part };
        else kept.push(part);
      }
      if (kept.length > 0) messages.push({ ...message, content: kept });
      else if (message.content.length === 0) messages.push(message);
    }
    body.messages = messages;
    if (variables) ext.variables = variables;
  }
  if (Object.keys(ext).length > 0) body.llmops = ext;
  return { body, ignored };
}
