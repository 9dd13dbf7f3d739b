/**
 * Prompt conventions shared with MLflow's prompt registry: a prompt is a registered model tagged
 * `mlflow.prompt.is_prompt=true`; each version holds its template in the `mlflow.prompt.text` tag;
 * variables are written `{{ name }}` (dotted paths allowed); names use letters, digits, `_ . -`.
 */
export const IS_PROMPT_TAG = "mlflow.prompt.is_prompt";
export const PROMPT_TEXT_TAG = "mlflow.prompt.text";
/** MLflow 3 marks chat prompts (a JSON list of {role, content}) with this version tag. */
export const PROMPT_TYPE_TAG = "_mlflow_prompt_type";

const VARIABLE = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*(?:\.[a-zA-Z_][a-zA-Z0-9_]*)*)\s*\}\}/g;
export const PROMPT_NAME = /^[a-zA-Z0-9_.-]+$/;

/** The distinct variables a template uses, in order of first appearance. */
export function templateVariables(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(VARIABLE), (m) => m[1] ?? ""))];
}

/**
 * A reference to one prompt version: `prompts:/name/3`, `prompts:/name@production`, `name@alias`,
 * or `prompts:/name` with no version, which means the newest, as MLflow's `load_prompt(name)`.
 */
export type PromptRef = { name: string; version: number } | { name: string; alias: string };

/** MLflow's reserved alias for the newest version (case-insensitive; never settable). */
export const LATEST_ALIAS = "latest";
export const isLatestAlias = (alias: string) => alias.toLowerCase() === LATEST_ALIAS;

export function parsePromptRef(ref: string): PromptRef {
  const body = ref.startsWith("prompts:/") ? ref.slice("prompts:/".length) : ref;
  // Only with the scheme: a bare word in a config is more likely a typo than "the newest version".
  if (ref.startsWith("prompts:/") && PROMPT_NAME.test(body)) return { name: body, alias: LATEST_ALIAS };
  const at = body.lastIndexOf("@");
  if (at > 0) {
    const name = body.slice(0, at);
    const alias = body.slice(at + 1);
    if (PROMPT_NAME.test(name) && /^[A-Za-z0-9_-]+$/.test(alias)) return { name, alias };
  }
  const slash = body.lastIndexOf("/");
  if (slash > 0) {
    const name = body.slice(0, slash);
    const version = Number(body.slice(slash + 1));
    if (PROMPT_NAME.test(name) && Number.isInteger(version) && version > 0) return { name, version };
  }
  throw new Error(`"${ref}" is not a prompt reference; write prompts:/NAME/VERSION, prompts:/NAME@ALIAS or prompts:/NAME (the newest)`);
}

export function formatPromptRef(ref: PromptRef): string {
  return "alias" in ref ? `prompts:/${ref.name}@${ref.alias}` : `prompts:/${ref.name}/${ref.version}`;
}
/** Comma-separated ids of the runs that used a prompt version (a version tag, MLflow 2.21+). */
export const PROMPT_ASSOCIATED_RUN_IDS_TAG = "mlflow.prompt.associatedRunIds";
