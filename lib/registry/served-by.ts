import { promptSource, type GatewayConfig } from "@/lib/gateway/config";
import { promptToText } from "@/lib/gateway/templates";
import { isLatestAlias } from "./prompts";

/**
 * Where each version of a prompt is served, read from the gateway's config: a variant with inline
 * templates serves the version holding exactly that text (the gateway registers it so); a variant
 * with a reference serves the version it names, or the one its alias points at now.
 */
export interface ServedBy {
  functionName: string;
  variantName: string;
  /** How the variant names the version: `inline`, `prompts:/name/3`, `prompts:/name@production`. */
  via: string;
}

export function servedByVersion(
  config: GatewayConfig,
  prompt: { name: string; versions: { version: number; text: string }[]; aliases: { alias: string; version: number }[] },
): Map<number, ServedBy[]> {
  const out = new Map<number, ServedBy[]>();
  const add = (version: number | undefined, entry: ServedBy) => {
    if (version === undefined) return;
    out.set(version, [...(out.get(version) ?? []), entry]);
  };
  for (const [functionName, fn] of Object.entries(config.functions)) {
    for (const [variantName, variant] of Object.entries(fn.variants)) {
      const source = promptSource(functionName, variantName, variant);
      if (source.kind === "inline" && source.name === prompt.name) {
        const text = promptToText({ system: source.system, user: source.user });
        const matches = prompt.versions.filter((v) => v.text === text).map((v) => v.version);
        add(matches.length ? Math.max(...matches) : undefined, { functionName, variantName, via: "inline (llmops.toml)" });
      } else if (source.kind === "ref" && source.ref.name === prompt.name) {
        if ("version" in source.ref)
          add(source.ref.version, { functionName, variantName, via: `prompts:/${prompt.name}/${source.ref.version}` });
        else {
          const alias = source.ref.alias;
          const newest = prompt.versions.length ? Math.max(...prompt.versions.map((v) => v.version)) : undefined;
          add(isLatestAlias(alias) ? newest : prompt.aliases.find((a) => a.alias === alias)?.version, {
            functionName,
            variantName,
            via: `prompts:/${prompt.name}@${alias}`,
          });
        }
      }
    }
  }
  return out;
}
