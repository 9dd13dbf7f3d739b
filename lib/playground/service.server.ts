import "server-only";
import type { Db } from "@/db/client.server";
import { costOf } from "@/lib/gateway/attempts.server";
import { promptSource, type GatewayConfig } from "@/lib/gateway/config";
import type { Gateway } from "@/lib/gateway/gateway.server";
import { BadRequestError, NotFoundError } from "@/lib/http/errors";
import { parsePromptRef, templateVariables } from "@/lib/registry/prompts";
import { getPromptVersion } from "@/lib/registry/repo.server";
import { promptFromRegistry } from "@/lib/gateway/templates";
import { PLAYGROUND_SOURCE, SOURCE_TAG, type CatalogReply, type PlaygroundEvent, type PlaygroundTarget } from "./schemas";

/**
 * The playground runs what the gateway serves, through the gateway's own path (recorded like any
 * inference, tagged `llmops.source=playground`, never cached). A prompt version to try becomes a
 * weight-0 variant `playground.<name>.<version>` copied from a base variant (its model and
 * parameters), as evaluation runs do: nothing in llmops.toml changes.
 */

const PARAM_KEYS = ["temperature", "top_p", "max_tokens", "seed", "stop", "json_mode"] as const;

export async function playgroundCatalog(db: Db, config: GatewayConfig): Promise<CatalogReply> {
  const functions = await Promise.all(
    Object.entries(config.functions).map(async ([name, fn]) => ({
      name,
      description: fn.description,
      variants: await Promise.all(
        Object.entries(fn.variants).map(async ([variantName, v]) => {
          const source = promptSource(name, variantName, v);
          let variables: string[] = [];
          if (source.kind === "inline") variables = templateVariables(`${source.system ?? ""}\n${source.user ?? ""}`);
          if (source.kind === "ref") {
            const found = await getPromptVersion(db, source.ref).catch(() => undefined);
            variables = found ? templateVariables(found.template) : [];
          }
          return {
            name: variantName,
            model: v.model,
            weight: v.weight,
            prompt: source.kind === "inline" ? source.name : source.kind === "ref" ? (v.prompt ?? null) : null,
            promptKind: source.kind,
            variables,
            params: Object.fromEntries(PARAM_KEYS.filter((k) => v[k] !== undefined).map((k) => [k, v[k]])),
          };
        }),
      ),
    })),
  );
  return { functions };
}

/** The variant to run and the config holding it (the process's, or one with the tried prompt version added). */
export async function resolveTarget(
  db: Db,
  config: GatewayConfig,
  functionName: string,
  target: PlaygroundTarget,
): Promise<{ config: GatewayConfig; variant: string }> {
  const fn = config.functions[functionName];
  if (!fn) throw new NotFoundError(`unknown function "${functionName}"; declared: ${Object.keys(config.functions).join(", ") || "none"}`);
  if ("variant" in target) {
    if (!fn.variants[target.variant]) {
      throw new NotFoundError(
        `function "${functionName}" has no variant "${target.variant}"; it has ${Object.keys(fn.variants).join(", ")}`,
      );
    }
    return { config, variant: target.variant };
  }
  let ref;
  try {
    ref = parsePromptRef(target.prompt.startsWith("prompts:/") ? target.prompt : `prompts:/${target.prompt}`);
  } catch (error) {
    throw new BadRequestError((error as Error).message);
  }
  const found = await getPromptVersion(db, ref);
  if (!found) throw new NotFoundError(`${target.prompt} resolves to no prompt version`);
  const baseName = target.base ?? Object.entries(fn.variants).sort(([, a], [, b]) => b.weight - a.weight)[0]![0];
  const base = fn.variants[baseName];
  if (!base) throw new NotFoundError(`function "${functionName}" has no variant "${baseName}" to take the model from`);
  const name = `playground.${found.name}.${found.version}`;
  const { system: _s, user: _u, prompt: _p, prompt_name: _n, ...rest } = base;
  const variant = { ...rest, prompt: `prompts:/${found.name}/${found.version}`, weight: 0 };
  return {
    variant: name,
    config: { ...config, functions: { ...config.functions, [functionName]: { ...fn, variants: { ...fn.variants, [name]: variant } } } },
  };
}

/** The variables a prompt version takes (for the form), from the registry. */
export async function promptVariables(db: Db, prompt: string): Promise<string[]> {
  const found = await getPromptVersion(db, parsePromptRef(prompt));
  if (!found) return [];
  const parts = promptFromRegistry(found.template, found.tags["_mlflow_prompt_type"]);
  return templateVariables([parts.system, parts.user].filter(Boolean).join("\n"));
}

/** Runs one inference as a stream of events: start, the answer's deltas, then latency, tokens and cost (or an error). */
export async function* runPlayground(input: {
  gateway: Gateway;
  functionName: string;
  variant: string;
  variables: Record<string, unknown>;
  side?: "a" | "b";
  signal: AbortSignal;
}): AsyncGenerator<PlaygroundEvent> {
  const started = performance.now();
  const result = await input.gateway.inferStream(
    {
      functionName: input.functionName,
      variant: input.variant,
      variables: input.variables,
      tags: { [SOURCE_TAG]: PLAYGROUND_SOURCE, ...(input.side ? { "llmops.playground.side": input.side } : {}) },
      cache: { enabled: false },
    },
    { signal: input.signal },
  );
  yield {
    type: "start",
    inferenceId: result.inferenceId,
    episodeId: result.episodeId,
    variant: result.variantName,
    model: result.modelName,
    promptVersion: result.promptVersion,
  };
  let ttftMs: number | null = null;
  let usage = { input_tokens: 0, output_tokens: 0 };
  try {
    for await (const delta of result.deltas) {
      if (delta.content) {
        ttftMs ??= Math.round(performance.now() - started);
        yield { type: "delta", content: delta.content };
      }
      if (delta.usage) usage = delta.usage;
    }
  } catch (error) {
    yield { type: "error", message: (error as Error).message };
    return;
  }
  const model = input.gateway.config.models[result.modelName];
  yield {
    type: "done",
    latencyMs: Math.round(performance.now() - started),
    ttftMs,
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cost: model && !result.cached ? costOf(model, usage) : 0,
  };
}
