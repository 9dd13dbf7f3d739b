import "server-only";
import { and, eq, isNull, or, ne } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { registeredModelTags, registeredModels } from "@/db/schema";
import { nameMatch } from "@/lib/find/match.server";
import { IS_PROMPT_TAG } from "./prompts";

/**
 * Registered prompts or models whose name contains `text`, at most `limit`, for search everywhere
 * (lib/find). A prompt is a registered model tagged `mlflow.prompt.is_prompt=true`.
 */
export async function findRegistered(db: Db, kind: "prompts" | "models", text: string, limit: number) {
  const m = nameMatch(registeredModels.name, text);
  const promptTag = registeredModelTags.value;
  const isKind = kind === "prompts" ? eq(promptTag, "true") : or(isNull(promptTag), ne(promptTag, "true"));
  return db
    .select({ name: registeredModels.name, description: registeredModels.description })
    .from(registeredModels)
    .leftJoin(registeredModelTags, and(eq(registeredModelTags.name, registeredModels.name), eq(registeredModelTags.key, IS_PROMPT_TAG)))
    .where(and(m.where, isKind))
    .orderBy(...m.order)
    .limit(limit);
}
