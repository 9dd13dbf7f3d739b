import "server-only";
import type { Db } from "@/db/client.server";
import { formatPromptRef, PROMPT_TYPE_TAG, type PromptRef } from "@/lib/registry/prompts";
import { ensurePromptVersion, getPromptVersion } from "@/lib/registry/repo.server";
import { promptSource, type GatewayConfig } from "./config";
import { promptFromRegistry, promptToText, type PromptTemplates } from "./templates";

/** A prompt version as the gateway uses it: its lineage id (`name/version`) and templates. */
export interface ResolvedPrompt {
  version: string;
  templates: PromptTemplates;
}

export class PromptNotFoundError extends Error {
  override name = "PromptNotFoundError";
}

/** How long a resolved `prompts:/name@alias` is reused before asking Postgres again. */
export const PROMPT_REF_TTL_MS = 5_000;

/**
 * Inline templates are registered once when the config is loaded (content-hashed, so an
 * unchanged template keeps its version); references are resolved at request time through a
 * 5-second cache, so an alias moved in the registry is served within 5 s by every instance.
 */
export class PromptResolver {
  private inline = new Map<string, ResolvedPrompt>();
  private refs = new Map<string, { at: number; prompt: Promise<ResolvedPrompt> }>();

  constructor(
    private readonly db: Db,
    private readonly refTtlMs = PROMPT_REF_TTL_MS,
  ) {}

  /** Registers every inline variant prompt of the config as a prompt version (chat prompt). */
  async registerInline(config: GatewayConfig): Promise<void> {
    for (const [fnName, fn] of Object.entries(config.functions)) {
      for (const [variantName, variant] of Object.entries(fn.variants)) {
        const source = promptSource(fnName, variantName, variant);
        if (source.kind !== "inline") continue;
        const templates = { system: source.system, user: source.user };
        const registered = await ensurePromptVersion(this.db, {
          name: source.name,
          template: promptToText(templates),
          description: `Prompt of variant ${variantName} of function ${fnName} (llmops.toml)`,
          tags: { [PROMPT_TYPE_TAG]: "chat" },
        });
        this.inline.set(`${fnName}/${variantName}`, { version: `${registered.name}/${registered.version}`, templates });
      }
    }
  }

  /** The variant's prompt, or undefined when it has none. */
  async resolve(config: GatewayConfig, fnName: string, variantName: string): Promise<ResolvedPrompt | undefined> {
    const variant = config.functions[fnName]?.variants[variantName];
    if (!variant) return undefined;
    const source = promptSource(fnName, variantName, variant);
    switch (source.kind) {
      case "none":
        return undefined;
      case "inline": {
        const found = this.inline.get(`${fnName}/${variantName}`);
        if (!found) throw new Error(`prompt of ${fnName}/${variantName} was not registered at start-up`);
        return found;
      }
      case "ref":
        return this.resolveRef(source.ref);
    }
  }

  private resolveRef(ref: PromptRef): Promise<ResolvedPrompt> {
    const key = formatPromptRef(ref);
    const now = Date.now();
    const cached = this.refs.get(key);
    if (cached && now - cached.at < this.refTtlMs) return cached.prompt;
    const prompt = getPromptVersion(this.db, ref).then((found) => {
      if (!found) throw new PromptNotFoundError(`prompt ${key} does not exist in the registry`);
      return { version: `${found.name}/${found.version}`, templates: promptFromRegistry(found.template, found.tags[PROMPT_TYPE_TAG]) };
    });
    this.refs.set(key, { at: now, prompt });
    prompt.catch(() => this.refs.delete(key));
    return prompt;
  }
}
