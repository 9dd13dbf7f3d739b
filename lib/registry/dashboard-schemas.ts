import { z } from "zod";

/** Shapes of the registry pages (models and prompts), their JSON routes and URL state. */
export const REGISTRY_KINDS = ["models", "prompts"] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

export const registryListState = z.object({
  kind: z.enum(REGISTRY_KINDS).default("prompts"),
  q: z.string().max(300).default(""),
});
export type RegistryListState = z.output<typeof registryListState>;

const alias = z.object({ alias: z.string(), version: z.number() });
const tag = z.object({ key: z.string(), value: z.string() });

export const registryEntry = z.object({
  name: z.string(),
  description: z.string().nullable(),
  lastUpdated: z.number(),
  latestVersion: z.number().nullable(),
  aliases: z.array(alias),
  tags: z.array(tag),
});
export const registryListReply = z.object({ entries: z.array(registryEntry) });
export type RegistryListReply = z.output<typeof registryListReply>;

export const servedBy = z.object({ functionName: z.string(), variantName: z.string(), via: z.string() });
export const observedServing = z.object({
  functionName: z.string(),
  variantName: z.string(),
  inferences: z.number(),
  lastSeen: z.number(),
});

export const versionView = z.object({
  version: z.number(),
  description: z.string().nullable(),
  creationTime: z.number(),
  stage: z.string(),
  source: z.string().nullable(),
  status: z.string(),
  aliases: z.array(z.string()),
  tags: z.array(tag),
  run: z.object({ runId: z.string(), runName: z.string(), experimentId: z.string() }).nullable(),
  /** Prompts only: the template as a person reads it, and its `{{variables}}`. */
  template: z.string().nullable(),
  variables: z.array(z.string()),
  /** Prompts only: variants configured to serve this version, and those seen serving it (30 days). */
  servedBy: z.array(servedBy),
  observed: z.array(observedServing),
});
export type VersionView = z.output<typeof versionView>;

export const registeredReply = z.object({
  kind: z.enum(REGISTRY_KINDS),
  name: z.string(),
  description: z.string().nullable(),
  creationTime: z.number(),
  lastUpdated: z.number(),
  tags: z.array(tag),
  aliases: z.array(alias),
  versions: z.array(versionView),
  /** Why serving information is missing (gateway config not loaded), if it is. */
  servingNote: z.string().nullable(),
});
export type RegisteredReply = z.output<typeof registeredReply>;

export const aliasMoveBody = z.object({
  alias: z.string().min(1).max(255),
  version: z.number().int().positive(),
});
