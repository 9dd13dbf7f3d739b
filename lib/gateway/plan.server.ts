import "server-only";
import { AppError } from "@/lib/http/errors";
import { DIRECT_MODEL_FUNCTION, type GuardrailVerdictRow } from "@/lib/inference/tables";
import type { ChatMessage, ChatParams, ChatRequest } from "./chat";
import type { GatewayConfig, VariantConfig } from "./config";
import { uuidAt } from "./ids";
import { PromptNotFoundError, type PromptResolver } from "./prompts.server";
import type { Clock } from "./providers/types";
import type { NativeResponsesBody } from "./responses/native";
import { promptMessages, TemplateError } from "./templates";
import { ROUTE_TAG, routeVariant } from "./routing";
import { fallbackOrder, pickWeighted, stickyDraw } from "./variants";

export interface InferenceInput {
  /** Exactly one of the two: a configured function (a variant is chosen) or a model called directly. */
  functionName?: string;
  modelName?: string;
  /** Values for the variant's `{{templates}}`. */
  variables?: Record<string, unknown>;
  /**
   * Messages after the variant's rendered prompt (the conversation so far). Without variables they
   * are the prompt: only the variant's templates that need no variables precede them (templates.ts).
   */
  messages?: ChatMessage[];
  /** A system message placed after the variant's prompt and before `messages` (the Responses API's `instructions`). */
  instructions?: string;
  params?: ChatParams;
  variant?: string;
  /** An explicit hint for the function's routing rules (`llmops.hint`, header `x-llmops-hint`, native `hint`). */
  hint?: string;
  episodeId?: string;
  tags?: Record<string, string>;
  dryrun?: boolean;
  cache?: { enabled?: boolean; ttl_s?: number };
  /** The Responses API body, for providers that speak it natively (`api = "responses"`, responses/native.ts). */
  responses?: NativeResponsesBody;
  /** The caller's span (W3C `traceparent`), recorded on the inference to link it into the trace. */
  trace?: { traceId: string; spanId: string };
}

export interface Candidate {
  variantName: string;
  modelName: string;
  request: ChatRequest | undefined;
  promptVersion: string;
  renderError?: AppError;
}

export interface Plan {
  inferenceId: string;
  episodeId: string;
  functionName: string;
  started: number;
  candidates: Candidate[];
  cache: { enabled: boolean; ttl_s: number };
  input: InferenceInput;
  clock: Clock;
  /** Guardrail verdicts so far (lib/guardrails), recorded with the inference. */
  guardrails?: GuardrailVerdictRow[];
}

export interface PlanDeps {
  config: GatewayConfig;
  prompts: PromptResolver;
  random: () => number;
  /** Adaptive weights of a function at a time (lib/analytics/allocation.server.ts); undefined: the configured ones. */
  allocation?: (functionName: string, episodeId: string | undefined, at: number) => Promise<{ name: string; weight: number }[] | undefined>;
}

const variantParams = (v: VariantConfig): ChatParams => ({
  temperature: v.temperature,
  top_p: v.top_p,
  max_tokens: v.max_tokens,
  seed: v.seed,
  stop: v.stop,
  ...(v.json_mode ? { response_format: { type: "json_object" as const } } : {}),
});

export const dropUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The weighted draw: sticky per episode, with the adaptive weights of the day when the function has them. */
async function drawVariant(
  deps: PlanDeps,
  adaptive: boolean,
  functionName: string,
  episodeId: string | undefined,
  at: number,
  weighted: { name: string; weight: number }[],
): Promise<string> {
  const draw = episodeId ? stickyDraw(functionName, episodeId) : deps.random();
  const drawn = (adaptive && (await deps.allocation?.(functionName, episodeId, at))) || weighted;
  return pickWeighted(drawn, draw);
}

/**
 * The first step of an inference: resolve the target (function or model), choose the variant
 * (pinned, sticky per episode, or weighted at random) and the fallback order, and render each
 * candidate variant's prompt into the upstream request. Client mistakes become 4xx AppErrors here.
 */
export async function planInference(deps: PlanDeps, input: InferenceInput, clock: Clock): Promise<Plan> {
  const { config } = deps;
  const started = clock.now();
  const inferenceId = uuidAt(started);
  const episodeId = input.episodeId ?? uuidAt(started);
  const params = dropUndefined(input.params ?? {});
  const messages: ChatMessage[] = [
    ...(input.instructions ? [{ role: "system" as const, content: input.instructions }] : []),
    ...(input.messages ?? []),
  ];

  if (input.modelName !== undefined) {
    if (!config.models[input.modelName]) {
      throw new AppError(
        "not_found",
        `unknown model "${input.modelName}"; configured models: ${Object.keys(config.models).join(", ") || "(none)"}`,
      );
    }
    if (config.models[input.modelName]!.kind !== "chat")
      throw new AppError("bad_request", `model "${input.modelName}" is an embedding model: call POST /openai/v1/embeddings`, {
        field: "model",
      });
    if (messages.length === 0) throw new AppError("bad_request", "messages: a direct model call needs at least one message");
    return {
      inferenceId,
      episodeId,
      functionName: DIRECT_MODEL_FUNCTION,
      started,
      clock,
      input,
      cache: { enabled: input.cache?.enabled ?? false, ttl_s: input.cache?.ttl_s ?? 3600 },
      candidates: [
        {
          variantName: input.modelName,
          modelName: input.modelName,
          promptVersion: "",
          request: { model: input.modelName, messages, ...params },
        },
      ],
    };
  }

  const functionName = input.functionName ?? "";
  const fn = config.functions[functionName];
  if (!fn) {
    throw new AppError(
      "not_found",
      `unknown function "${functionName}"; configured functions: ${Object.keys(config.functions).join(", ") || "(none)"}`,
    );
  }
  const weighted = Object.entries(fn.variants).map(([name, v]) => ({ name, weight: v.weight }));
  let order: string[];
  if (input.variant !== undefined) {
    if (!fn.variants[input.variant]) {
      throw new AppError(
        "not_found",
        `function "${functionName}" has no variant "${input.variant}"; its variants: ${Object.keys(fn.variants).join(", ")}`,
      );
    }
    order = [input.variant];
  } else {
    // Routing rules first (routing.ts); when none matches, the weighted (sticky or adaptive) draw.
    const routed = routeVariant(fn.routing, { messages, variables: input.variables, tags: input.tags, hint: input.hint });
    if (routed) input = { ...input, tags: { ...input.tags, [ROUTE_TAG]: routed.rule } };
    const chosen =
      routed?.variant ?? (await drawVariant(deps, fn.adaptive !== undefined, functionName, input.episodeId, started, weighted));
    order = fn.variant_fallback ? fallbackOrder(weighted, chosen) : [chosen];
  }

  const candidates: Candidate[] = [];
  for (const [i, variantName] of order.entries()) {
    const variant = fn.variants[variantName]!;
    let promptVersion = "";
    let request: ChatRequest | undefined;
    try {
      const prompt = await deps.prompts.resolve(config, functionName, variantName);
      promptVersion = prompt?.version ?? "";
      const all = promptMessages(prompt?.templates, input.variables, messages);
      if (all.length === 0)
        throw new AppError(
          "bad_request",
          `variant "${variantName}" of "${functionName}" has no prompt template, so the input needs messages`,
        );
      request = { model: variant.model, messages: all, ...dropUndefined(variantParams(variant)), ...params };
      // The request's max_completion_tokens replaces the variant's max_tokens (OpenAI refuses both).
      if (params.max_completion_tokens !== undefined && input.params?.max_tokens === undefined) delete request.max_tokens;
    } catch (error) {
      const appError =
        error instanceof AppError
          ? error
          : error instanceof TemplateError
            ? new AppError("bad_request", `input.variables: ${error.message} (variant "${variantName}" of "${functionName}")`)
            : error instanceof PromptNotFoundError
              ? new AppError("unprocessable", `variant "${variantName}" of "${functionName}": ${error.message}`)
              : new AppError(
                  "unavailable",
                  `the prompt registry (Postgres) is unavailable: ${error instanceof Error ? error.message : String(error)}`,
                );
      // The chosen variant's error is the client's; a fallback variant that cannot render is skipped.
      if (i === 0) throw appError;
      candidates.push({ variantName, modelName: variant.model, promptVersion, request: undefined, renderError: appError });
      continue;
    }
    candidates.push({ variantName, modelName: variant.model, promptVersion, request });
  }
  return {
    inferenceId,
    episodeId,
    functionName,
    started,
    clock,
    input,
    candidates,
    cache: { enabled: input.cache?.enabled ?? fn.cache.enabled, ttl_s: input.cache?.ttl_s ?? fn.cache.ttl_s },
  };
}
