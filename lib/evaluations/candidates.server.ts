import "server-only";
import type { Db } from "@/db/client.server";
import type { StoredCandidate } from "@/db/schema/evaluations";
import type { GatewayConfig } from "@/lib/gateway/config";
import { BadRequestError, NotFoundError } from "@/lib/http/errors";
import { getPromptVersion } from "@/lib/registry/repo.server";
import { parsePromptRef } from "@/lib/registry/prompts";
import type { CandidateInput } from "./schemas";

/**
 * Candidates of a run. A configured variant is used as is (pinned). A prompt version or model to
 * try becomes an extra variant of the function, weight 0 and pinned, named `eval.<key>`, copied
 * from a base variant (the one given, else the highest-weight one) with the prompt and/or model
 * replaced — served by the same gateway path, so it is recorded like any inference. A prompt alias
 * is resolved to its version when the run is created, so the run stays reproducible.
 */

export const candidateVariantName = (c: StoredCandidate) => (c.prompt || c.model ? `eval.${c.key}` : (c.variant ?? c.key));

export async function resolveCandidates(
  db: Db,
  config: GatewayConfig,
  functionName: string,
  inputs: CandidateInput[],
): Promise<StoredCandidate[]> {
  const fn = config.functions[functionName];
  if (!fn) throw new NotFoundError(`unknown function "${functionName}"; declared: ${Object.keys(config.functions).join(", ") || "none"}`);
  const keys = new Set<string>();
  const out: StoredCandidate[] = [];
  for (const [i, c] of inputs.entries()) {
    if (c.variant && !fn.variants[c.variant]) {
      throw new NotFoundError(`function "${functionName}" has no variant "${c.variant}"; it has ${Object.keys(fn.variants).join(", ")}`);
    }
    if (c.model && !config.models[c.model]) throw new NotFoundError(`unknown model "${c.model}"`);
    let prompt: string | undefined;
    if (c.prompt) {
      const ref = parsePromptRef(c.prompt);
      const found = await getPromptVersion(db, ref);
      if (!found) throw new BadRequestError(`${c.prompt} resolves to no prompt version`);
      prompt = `prompts:/${found.name}/${found.version}`;
    }
    const key =
      c.prompt || c.model
        ? `${i + 1}-${[prompt?.slice(9), c.model]
            .filter(Boolean)
            .join("-")
            .replace(/[^A-Za-z0-9_.-]/g, "_")}`
        : c.variant!;
    if (keys.has(key)) throw new BadRequestError(`candidate ${key} is given twice`);
    keys.add(key);
    out.push({ key, variant: c.variant, prompt, model: c.model, registeredModelVersion: c.registered_model_version });
  }
  return out;
}

/** The config with every ad-hoc candidate added as a weight-0 variant of the function. */
export function configWithCandidates(config: GatewayConfig, functionName: string, candidates: StoredCandidate[]): GatewayConfig {
  const extra = candidates.filter((c) => c.prompt || c.model);
  if (!extra.length) return config;
  const fn = config.functions[functionName]!;
  const baseName = (c: StoredCandidate) => c.variant ?? Object.entries(fn.variants).sort(([, a], [, b]) => b.weight - a.weight)[0]![0];
  const variants = { ...fn.variants };
  for (const c of extra) {
    const { system, user, prompt, ...base } = fn.variants[baseName(c)]!;
    variants[candidateVariantName(c)] = {
      ...base,
      ...(c.prompt ? { prompt: c.prompt } : prompt ? { prompt } : { system, user }),
      model: c.model ?? base.model,
      weight: 0,
    };
  }
  return { ...config, functions: { ...config.functions, [functionName]: { ...fn, variants } } };
}
