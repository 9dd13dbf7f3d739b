import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client.server";
import { modelVersionTags, modelVersions, registeredModelAliases, registeredModelTags, registeredModels } from "@/db/schema";
import { IS_PROMPT_TAG, PROMPT_TEXT_TAG, isLatestAlias, type PromptRef } from "./prompts";

/**
 * The registry's storage verbs shared by the MLflow API and the gateway. Callers validate input
 * (names, lengths) at their own boundary; these functions keep the invariants that need the
 * database: version numbers distinct and consecutive under concurrency, content-addressed prompts.
 */
export type Tags = Record<string, string>;

export interface ModelVersionRow {
  name: string;
  version: number;
  source: string | null;
  runId: string | null;
  creationTime: number;
}

export async function ensureRegisteredModel(db: DbOrTx, name: string, tags: Tags = {}, now = Date.now()): Promise<void> {
  await db.insert(registeredModels).values({ name, creationTime: now, lastUpdatedTime: now }).onConflictDoNothing();
  await setRegisteredModelTags(db, name, tags);
}

export async function setRegisteredModelTags(db: DbOrTx, name: string, tags: Tags): Promise<void> {
  const rows = Object.entries(tags).map(([key, value]) => ({ name, key, value }));
  if (rows.length === 0) return;
  await db
    .insert(registeredModelTags)
    .values(rows)
    .onConflictDoUpdate({ target: [registeredModelTags.name, registeredModelTags.key], set: { value: sql`excluded.value` } });
}

export interface NewModelVersion {
  name: string;
  source?: string | null;
  runId?: string | null;
  runLink?: string | null;
  description?: string | null;
  userId?: string | null;
  modelId?: string | null;
  tags?: Tags;
}

/**
 * Creates the next version of an existing registered model. The `UPDATE … RETURNING` takes the
 * model's row lock, so concurrent creators get distinct consecutive numbers; returns undefined
 * when the model does not exist.
 */
export async function createModelVersion(db: Db, input: NewModelVersion, now = Date.now()): Promise<ModelVersionRow | undefined> {
  return db.transaction(async (tx) => {
    const [bumped] = await tx
      .update(registeredModels)
      .set({ lastVersion: sql`${registeredModels.lastVersion} + 1`, lastUpdatedTime: now })
      .where(eq(registeredModels.name, input.name))
      .returning({ version: registeredModels.lastVersion });
    if (!bumped) return undefined;
    const row = {
      name: input.name,
      version: bumped.version,
      source: input.source ?? null,
      runId: input.runId ?? null,
      runLink: input.runLink ?? null,
      description: input.description ?? null,
      userId: input.userId ?? null,
      modelId: input.modelId ?? null,
      creationTime: now,
      lastUpdatedTime: now,
    };
    await tx.insert(modelVersions).values(row);
    const tags = Object.entries(input.tags ?? {}).map(([key, value]) => ({ name: input.name, version: bumped.version, key, value }));
    if (tags.length > 0) await tx.insert(modelVersionTags).values(tags);
    return { name: row.name, version: row.version, source: row.source, runId: row.runId, creationTime: now };
  });
}

export async function setAlias(db: DbOrTx, name: string, alias: string, version: number): Promise<void> {
  await db
    .insert(registeredModelAliases)
    .values({ name, alias, version })
    .onConflictDoUpdate({ target: [registeredModelAliases.name, registeredModelAliases.alias], set: { version } });
}

export interface PromptVersion {
  name: string;
  version: number;
  template: string;
  tags: Tags;
}

/**
 * Registers `template` as a version of prompt `name` unless some version already holds exactly
 * this text (content-addressed: an unchanged template is not a new version). Serialised per
 * prompt by the registered model's row lock, so app servers starting together agree.
 */
export async function ensurePromptVersion(
  db: Db,
  input: { name: string; template: string; description?: string; tags?: Tags },
): Promise<PromptVersion & { created: boolean }> {
  const now = Date.now();
  await ensureRegisteredModel(db, input.name, { [IS_PROMPT_TAG]: "true" }, now);
  return db.transaction(async (tx) => {
    await tx.select({ name: registeredModels.name }).from(registeredModels).where(eq(registeredModels.name, input.name)).for("update");
    const [existing] = await tx
      .select({ version: modelVersionTags.version })
      .from(modelVersionTags)
      .where(
        and(eq(modelVersionTags.name, input.name), eq(modelVersionTags.key, PROMPT_TEXT_TAG), eq(modelVersionTags.value, input.template)),
      )
      .orderBy(desc(modelVersionTags.version))
      .limit(1);
    if (existing) {
      const found = await getPromptVersion(tx, { name: input.name, version: existing.version });
      if (found) return { ...found, created: false };
    }
    const tags = { ...input.tags, [PROMPT_TEXT_TAG]: input.template };
    const [bumped] = await tx
      .update(registeredModels)
      .set({ lastVersion: sql`${registeredModels.lastVersion} + 1`, lastUpdatedTime: now })
      .where(eq(registeredModels.name, input.name))
      .returning({ version: registeredModels.lastVersion });
    if (!bumped) throw new Error(`prompt ${input.name} vanished while registering a version`);
    await tx.insert(modelVersions).values({
      name: input.name,
      version: bumped.version,
      description: input.description ?? null,
      creationTime: now,
      lastUpdatedTime: now,
    });
    await tx
      .insert(modelVersionTags)
      .values(Object.entries(tags).map(([key, value]) => ({ name: input.name, version: bumped.version, key, value })));
    return { name: input.name, version: bumped.version, template: input.template, tags, created: true };
  });
}

/** The newest version of a registered model or prompt (`latest`), or undefined when it has none. */
export async function latestVersionNumber(db: DbOrTx, name: string): Promise<number | undefined> {
  const [row] = await db
    .select({ version: sql<number>`max(${modelVersions.version})` })
    .from(modelVersions)
    .where(eq(modelVersions.name, name));
  return row?.version ?? undefined;
}

/** The prompt version a reference names (resolving an alias, `latest` the newest), or undefined. */
export async function getPromptVersion(db: DbOrTx, ref: PromptRef): Promise<PromptVersion | undefined> {
  let version: number;
  if ("alias" in ref && isLatestAlias(ref.alias)) {
    const latest = await latestVersionNumber(db, ref.name);
    if (latest === undefined) return undefined;
    version = latest;
  } else if ("alias" in ref) {
    const [row] = await db
      .select({ version: registeredModelAliases.version })
      .from(registeredModelAliases)
      .where(and(eq(registeredModelAliases.name, ref.name), eq(registeredModelAliases.alias, ref.alias)));
    if (!row) return undefined;
    version = row.version;
  } else {
    version = ref.version;
  }
  const tagRows = await db
    .select({ key: modelVersionTags.key, value: modelVersionTags.value })
    .from(modelVersionTags)
    .where(and(eq(modelVersionTags.name, ref.name), eq(modelVersionTags.version, version)));
  const tags = Object.fromEntries(tagRows.map((t) => [t.key, t.value]));
  const template = tags[PROMPT_TEXT_TAG];
  if (template === undefined) return undefined;
  return { name: ref.name, version, template, tags };
}
