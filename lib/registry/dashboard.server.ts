import "server-only";
import type { GatewayConfig } from "@/lib/gateway/config";
import { getGateway } from "@/lib/gateway/runtime.server";
import { promptFromRegistry } from "@/lib/gateway/templates";
import { mlflowToApp } from "@/lib/experiments/errors";
import { loadRunRows } from "@/lib/experiments/loaders.server";
import { servingOfPromptVersions } from "@/lib/inference/lookups.server";
import type { TrackingContext } from "@/lib/tracking/context";
import { quoteKey } from "@/lib/experiments/columns";
import { deleteModelAlias, getModel, searchModels, setModelAlias } from "./models.server";
import { IS_PROMPT_TAG, PROMPT_TEXT_TAG, PROMPT_TYPE_TAG, templateVariables } from "./prompts";
import { servedByVersion, type ServedBy } from "./served-by";
import { searchVersions } from "./versions.server";
import type { RegisteredReply, RegistryKind, RegistryListReply, RegistryListState } from "./dashboard-schemas";

/** Loaders of the registry pages: the MLflow registry services plus the gateway's serving facts. */
const PROMPT_FILTER = `tags.${quoteKey(IS_PROMPT_TAG)} = 'true'`;
const MODEL_FILTER = `tags.${quoteKey(IS_PROMPT_TAG)} != 'true'`;

export function listRegistry(ctx: TrackingContext, state: RegistryListState): Promise<RegistryListReply> {
  return mlflowToApp(async () => {
    const { models } = await searchModels({
      ctx,
      input: {
        filter: state.kind === "prompts" ? PROMPT_FILTER : MODEL_FILTER,
        maxResults: 1000,
        orderBy: ["last_updated_timestamp DESC"],
      },
    });
    const q = state.q.trim().toLowerCase();
    return {
      entries: models
        .filter((m) => !q || m.name.toLowerCase().includes(q) || (m.description ?? "").toLowerCase().includes(q))
        .map((m) => ({
          name: m.name,
          description: m.description,
          lastUpdated: m.lastUpdatedTimestamp,
          latestVersion: m.latestVersions.reduce<number | null>((max, v) => (max === null || v.version > max ? v.version : max), null),
          aliases: m.aliases,
          tags: m.tags.filter((t) => t.key !== IS_PROMPT_TAG),
        })),
    };
  });
}

/** Variants seen serving these prompt versions in the last 30 days (the gateway's inference log). */
async function observedServing(ctx: TrackingContext, versionIds: string[]) {
  if (versionIds.length === 0) return [];
  return servingOfPromptVersions(ctx.clickhouse, versionIds);
}

/** The gateway's configured serving of a prompt's versions; a note instead when the config is unavailable. */
async function configuredServing(
  prompt: Parameters<typeof servedByVersion>[1],
  config: () => Promise<GatewayConfig>,
): Promise<{ map: Map<number, ServedBy[]>; note: string | null }> {
  try {
    return { map: servedByVersion(await config(), prompt), note: null };
  } catch (error) {
    return {
      map: new Map(),
      note: `The gateway's configuration could not be loaded, so configured serving is unknown: ${(error as Error).message}`,
    };
  }
}

const processGatewayConfig = async () => (await getGateway()).config;

/** A registered model or prompt with its versions; `config` gives the gateway's config (the process's by default). */
export function loadRegistered(
  ctx: TrackingContext,
  kind: RegistryKind,
  name: string,
  config: () => Promise<GatewayConfig> = processGatewayConfig,
): Promise<RegisteredReply> {
  return mlflowToApp(async () => {
    const model = await getModel({ ctx, input: { name } });
    const isPrompt = model.tags.some((t) => t.key === IS_PROMPT_TAG && t.value.toLowerCase() === "true");
    const actualKind: RegistryKind = isPrompt ? "prompts" : "models";
    const { versions } = await searchVersions({
      ctx,
      input: { filter: `name = '${name.replaceAll("'", "''")}'`, maxResults: 10_000, orderBy: ["version_number DESC"] },
    });
    const runIds = [...new Set(versions.flatMap((v) => (v.runId ? [v.runId] : [])))];
    const runs = await loadRunRows(ctx, runIds);
    const texts = versions.map((v) => ({ version: v.version, text: v.tags.find((t) => t.key === PROMPT_TEXT_TAG)?.value ?? "" }));
    const [serving, observed] = isPrompt
      ? await Promise.all([
          configuredServing({ name, versions: texts, aliases: model.aliases }, config),
          observedServing(
            ctx,
            versions.map((v) => `${name}/${v.version}`),
          ),
        ])
      : [{ map: new Map<number, ServedBy[]>(), note: null }, []];
    return {
      kind: actualKind,
      name: model.name,
      description: model.description,
      creationTime: model.creationTimestamp,
      lastUpdated: model.lastUpdatedTimestamp,
      tags: model.tags.filter((t) => t.key !== IS_PROMPT_TAG),
      aliases: model.aliases,
      servingNote: isPrompt ? serving.note : null,
      versions: versions.map((v) => {
        const run = runs.find((r) => r.runId === v.runId);
        const raw = v.tags.find((t) => t.key === PROMPT_TEXT_TAG)?.value;
        const type = v.tags.find((t) => t.key === PROMPT_TYPE_TAG)?.value;
        const template = isPrompt && raw !== undefined ? readableTemplate(raw, type) : null;
        return {
          version: v.version,
          description: v.description,
          creationTime: v.creationTimestamp,
          stage: v.currentStage,
          source: v.source,
          status: v.status,
          aliases: model.aliases.filter((a) => a.version === v.version).map((a) => a.alias),
          tags: v.tags.filter((t) => t.key !== PROMPT_TEXT_TAG),
          run: run ? { runId: run.runId, runName: run.runName, experimentId: run.experimentId } : null,
          template,
          parts: isPrompt && raw !== undefined ? templateParts(raw, type) : null,
          variables: raw === undefined ? [] : templateVariables(raw),
          servedBy: serving.map.get(v.version) ?? [],
          observed: observed
            .filter((o) => o.prompt_version === `${name}/${v.version}`)
            .map((o) => ({ functionName: o.function_name, variantName: o.variant_name, inferences: o.n, lastSeen: o.last })),
        };
      }),
    };
  });
}

/** A stored template as the editor's fields: a chat prompt's system and user, or a text prompt's text. */
export function templateParts(raw: string, type: string | undefined): { system?: string; user?: string; text?: string } {
  return type === "chat" ? promptFromRegistry(raw, type) : { text: raw };
}

/** A chat prompt (JSON list of messages) shown as labelled sections; a text prompt as is. */
export function readableTemplate(raw: string, type: string | undefined): string {
  if (type !== "chat") return raw;
  const { system, user } = promptFromRegistry(raw, type);
  return [system !== undefined ? `[system]\n${system}` : undefined, user !== undefined ? `[user]\n${user}` : undefined]
    .filter(Boolean)
    .join("\n\n");
}

/** A registered model's aliases (the audit log's "before" of an alias move). */
export function aliasesOf(ctx: TrackingContext, name: string): Promise<{ alias: string; version: number }[]> {
  return mlflowToApp(async () => (await getModel({ ctx, input: { name } })).aliases);
}

/** Points an alias at a version (moving it when it pointed elsewhere), with MLflow's rules. */
export function moveAlias(
  ctx: TrackingContext,
  name: string,
  alias: string,
  version: number,
): Promise<{ aliases: { alias: string; version: number }[] }> {
  return mlflowToApp(async () => {
    await setModelAlias({ ctx, input: { name, alias, version } });
    const model = await getModel({ ctx, input: { name } });
    return { aliases: model.aliases };
  });
}

export function removeAlias(ctx: TrackingContext, name: string, alias: string) {
  return mlflowToApp(async () => {
    await deleteModelAlias({ ctx, input: { name, alias } });
    return { aliases: (await getModel({ ctx, input: { name } })).aliases };
  });
}
