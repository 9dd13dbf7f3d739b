import "server-only";
import { promptSource, type GatewayConfig } from "@/lib/gateway/config";
import { promptToText } from "@/lib/gateway/templates";
import { mlflowToApp } from "@/lib/experiments/errors";
import { BadRequestError, ConflictError } from "@/lib/http/errors";
import type { TrackingContext } from "@/lib/tracking/context";
import type { z } from "zod";
import type { createRegisteredBody, PromptTemplateInput, RegistryKind } from "./dashboard-schemas";
import { createModel, deleteModel, getModel, updateModel } from "./models.server";
import { IS_PROMPT_TAG, PROMPT_NAME, PROMPT_TYPE_TAG } from "./prompts";
import { ensurePromptVersion } from "./repo.server";

/**
 * The dashboard's writes to the registry: create, describe and delete registered models and
 * prompts, and new prompt versions from the editor. They go through the same services as MLflow's
 * REST API (its names, limits and errors), so a version made here is the one a client loads.
 */

/** The stored text of a template: a chat prompt as MLflow 3's JSON list of messages, a text prompt as is. */
export function templateText(t: PromptTemplateInput): { text: string; type?: "chat" } {
  if (t.text !== undefined) return { text: t.text };
  return { text: promptToText({ system: t.system, user: t.user }), type: "chat" };
}

function isPromptModel(model: { tags: { key: string; value: string }[] }): boolean {
  return model.tags.some((t) => t.key === IS_PROMPT_TAG && t.value.toLowerCase() === "true");
}

/**
 * A new version of prompt `name` holding `template`, with the commit message as its description.
 * Content-addressed like the gateway's inline prompts: a template equal to an existing version's
 * is not a new version (`created: false` names that version).
 */
export function createPromptVersion(ctx: TrackingContext, name: string, template: PromptTemplateInput, message: string) {
  return mlflowToApp(async () => {
    const model = await getModel({ ctx, input: { name } });
    if (!isPromptModel(model)) throw new BadRequestError(`${name} is a registered model, not a prompt; only prompts have templates`);
    const { text, type } = templateText(template);
    if (!text.trim() || text === "[]") throw new BadRequestError("the template is empty");
    const saved = await ensurePromptVersion(ctx.db, {
      name,
      template: text,
      description: message,
      tags: type ? { [PROMPT_TYPE_TAG]: type } : {},
    });
    return { name, version: saved.version, created: saved.created };
  });
}

export function createRegistered(ctx: TrackingContext, input: z.output<typeof createRegisteredBody>) {
  return mlflowToApp(async () => {
    if (input.kind === "prompts" && !PROMPT_NAME.test(input.name)) {
      throw new BadRequestError(`"${input.name}" is not a prompt name: use letters, digits, _ . and -`);
    }
    const tags = input.kind === "prompts" ? [{ key: IS_PROMPT_TAG, value: "true" }] : [];
    const model = await createModel({ ctx, input: { name: input.name, description: input.description, tags } });
    if (input.kind === "prompts" && input.template) {
      await createPromptVersion(ctx, input.name, input.template, "First version");
    }
    return { kind: input.kind, name: model.name, description: model.description ?? null };
  });
}

export function describeRegistered(ctx: TrackingContext, name: string, description: string) {
  return mlflowToApp(async () => {
    const model = await updateModel({ ctx, input: { name, description } });
    const kind: RegistryKind = isPromptModel(model) ? "prompts" : "models";
    return { kind, name: model.name, description: model.description ?? null };
  });
}

/** Deletes a registered model or prompt with its versions, tags and aliases; refused while a gateway variant is configured to serve it. */
export function deleteRegistered(ctx: TrackingContext, name: string, servedBy: string[]) {
  return mlflowToApp(async () => {
    const model = await getModel({ ctx, input: { name } });
    if (servedBy.length) {
      throw new ConflictError(`${name} is served by ${servedBy.join(", ")} in llmops.toml; change the config before deleting it`);
    }
    await deleteModel({ ctx, input: { name } });
    return { kind: (isPromptModel(model) ? "prompts" : "models") as RegistryKind, name, description: model.description ?? null };
  });
}

/** The gateway variants configured to serve prompt `name` (inline or by reference): a prompt they use cannot be deleted. */
export function variantsServing(config: GatewayConfig, name: string): string[] {
  const out: string[] = [];
  for (const [fnName, fn] of Object.entries(config.functions)) {
    for (const [variantName, variant] of Object.entries(fn.variants)) {
      const source = promptSource(fnName, variantName, variant);
      const served = source.kind === "inline" ? source.name : source.kind === "ref" ? source.ref.name : undefined;
      if (served === name) out.push(`${fnName}/${variantName}`);
    }
  }
  return out;
}
