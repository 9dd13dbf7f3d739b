import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { modelVersionTags } from "@/db/schema";
import { promptSource, type GatewayConfig } from "@/lib/gateway/config";
import { promptToText } from "@/lib/gateway/templates";
import { PROMPT_TEXT_TAG, templateVariables } from "@/lib/registry/prompts";
import { getPromptVersion } from "@/lib/registry/repo.server";

export interface VariantFacts {
  functionName: string;
  variantName: string;
  model: string;
  /** The model's routing (providers in fallback order) and price, as configured. */
  routing: string[];
  price: { input: number; output: number } | null;
  weight: number;
  /** The function's total weight, so the page can say what share of traffic the weight asks for. */
  totalWeight: number;
  prompt: { how: "inline" | "reference" | "none"; ref: string | null; version: string | null; variables: string[] };
  params: Record<string, unknown>;
}

const PARAMS = ["temperature", "top_p", "max_tokens", "seed", "stop", "json_mode"] as const;

/**
 * What llmops.toml says about one variant, and the prompt version it serves now: a reference
 * resolved against the registry (aliases as they point now), inline templates matched to the
 * version that holds exactly their text. Undefined when the config has no such variant.
 */
export async function variantFacts(db: Db, config: GatewayConfig, fn: string, variant: string): Promise<VariantFacts | undefined> {
  const f = config.functions[fn];
  const v = f?.variants[variant];
  if (!f || !v) return undefined;
  const source = promptSource(fn, variant, v);
  let prompt: VariantFacts["prompt"] = { how: "none", ref: null, version: null, variables: [] };
  if (source.kind === "ref") {
    const found = await getPromptVersion(db, source.ref).catch(() => undefined);
    prompt = {
      how: "reference",
      ref: v.prompt ?? null,
      version: found ? `${found.name}/${found.version}` : null,
      variables: found ? templateVariables(found.template) : [],
    };
  } else if (source.kind === "inline") {
    const [row] = await db
      .select({ version: modelVersionTags.version })
      .from(modelVersionTags)
      .where(
        and(
          eq(modelVersionTags.name, source.name),
          eq(modelVersionTags.key, PROMPT_TEXT_TAG),
          eq(modelVersionTags.value, promptToText({ system: source.system, user: source.user })),
        ),
      )
      .orderBy(desc(modelVersionTags.version))
      .limit(1);
    prompt = {
      how: "inline",
      ref: source.name,
      version: row ? `${source.name}/${row.version}` : null,
      variables: templateVariables(`${source.system ?? ""}\n${source.user ?? ""}`),
    };
  }
  const model = config.models[v.model];
  return {
    functionName: fn,
    variantName: variant,
    model: v.model,
    routing: model ? model.routing.map((r) => `${r.provider}${r.model ? ` (${r.model})` : ""}`) : [],
    price: model ? { input: model.price.input, output: model.price.output } : null,
    weight: v.weight,
    totalWeight: Object.values(f.variants).reduce((a, x) => a + x.weight, 0),
    prompt,
    params: Object.fromEntries(PARAMS.filter((k) => v[k] !== undefined).map((k) => [k, v[k]])),
  };
}
