import { AppError } from "@/lib/http/errors";
import type { GatewayConfig } from "./config";
import { FUNCTION_PREFIX, MODEL_PREFIX, parseModelField } from "./wire";

/**
 * `GET /openai/v1/models` and `GET /openai/v1/models/{id}`: the callable names, functions as
 * `function::NAME` and models (chat and embedding) as `model::NAME`. A bare model name is found
 * too (the chat route accepts it), and answered under the id it was asked by.
 */
export interface ModelObject {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

const entry = (id: string, created: number): ModelObject => ({ id, object: "model", created, owned_by: "llmops" });

export function listModels(config: GatewayConfig, created = Math.floor(Date.now() / 1000)): { object: "list"; data: ModelObject[] } {
  return {
    object: "list",
    data: [
      ...Object.keys(config.functions).map((name) => entry(`${FUNCTION_PREFIX}${name}`, created)),
      ...Object.keys(config.models).map((name) => entry(`${MODEL_PREFIX}${name}`, created)),
    ],
  };
}

export function modelById(config: GatewayConfig, id: string, created = Math.floor(Date.now() / 1000)): ModelObject {
  const target = parseModelField(id);
  const found =
    "functionName" in target ? Object.hasOwn(config.functions, target.functionName) : Object.hasOwn(config.models, target.modelName);
  if (!found)
    throw new AppError("not_found", `The model '${id}' does not exist; GET /openai/v1/models lists the callable names`, { field: "model" });
  return entry(id, created);
}
