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
  /** Prompts only: the template's parts as the editor edits them (a chat prompt's system and user, or a text prompt's text). */
  parts: z.object({ system: z.string().optional(), user: z.string().optional(), text: z.string().optional() }).nullable(),
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

/** The prompt editor's and registry forms' bodies. A chat prompt has a system and a user template; a text prompt has `text`. */
export const promptTemplateInput = z
  .object({
    system: z.string().max(100_000).optional(),
    user: z.string().max(100_000).optional(),
    text: z.string().max(100_000).optional(),
  })
  .refine((t) => (t.text !== undefined) !== (t.system !== undefined || t.user !== undefined), {
    message: "give either text, or system and/or user",
  });
export type PromptTemplateInput = z.output<typeof promptTemplateInput>;

export const newPromptVersionBody = z.object({
  template: promptTemplateInput,
  /** The commit message, kept as the version's description (MLflow's `commit_message`). */
  message: z.string().trim().min(1, "a commit message is required").max(5000),
});
export const newPromptVersionReply = z.object({ name: z.string(), version: z.number(), created: z.boolean() });

export const createRegisteredBody = z.object({
  kind: z.enum(REGISTRY_KINDS),
  name: z.string().trim().min(1, "a name is required").max(256),
  description: z.string().max(5000).optional(),
  /** Prompts: the first version's template (optional). */
  template: promptTemplateInput.optional(),
});
export const updateRegisteredBody = z.object({ description: z.string().max(5000) });
export const registeredChangeReply = z.object({ kind: z.enum(REGISTRY_KINDS), name: z.string(), description: z.string().nullable() });
