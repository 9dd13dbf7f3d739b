import type { ChatMessage } from "./chat";

const VARIABLE = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*(?:\.[a-zA-Z_][a-zA-Z0-9_]*)*)\s*\}\}/g;

export class TemplateError extends Error {
  override name = "TemplateError";
}

function lookup(variables: Record<string, unknown>, path: string): unknown {
  let value: unknown = variables;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Fills `{{ name }}` and `{{ a.b }}` from `variables` (strings as they are, other values as JSON).
 * Strict mode refuses a missing variable, naming every missing one; lenient mode leaves it empty.
 */
export function renderTemplate(template: string, variables: Record<string, unknown>, { strict = true } = {}): string {
  const missing = new Set<string>();
  const text = template.replace(VARIABLE, (_, path: string) => {
    const value = lookup(variables, path);
    if (value === undefined || value === null) {
      missing.add(path);
      return "";
    }
    return typeof value === "string" ? value : JSON.stringify(value);
  });
  if (strict && missing.size > 0)
    throw new TemplateError(`missing template variable${missing.size > 1 ? "s" : ""}: ${[...missing].join(", ")}`);
  return text;
}

/** A variant's prompt as chat messages: an optional system and an optional user template. */
export interface PromptTemplates {
  system?: string;
  user?: string;
}

export function renderPrompt(prompt: PromptTemplates, variables: Record<string, unknown>): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (prompt.system !== undefined) messages.push({ role: "system", content: renderTemplate(prompt.system, variables) });
  if (prompt.user !== undefined) messages.push({ role: "user", content: renderTemplate(prompt.user, variables) });
  return messages;
}

/** The variables a template names (`{{ a.b }}` counts as `a.b`), in order of first use. */
export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(VARIABLE)].map((m) => m[1]!))];
}

/**
 * The messages a variant sends for a request. With variables (or without messages) the templates
 * are rendered strictly, followed by the caller's messages. A plain client (messages, no
 * variables: a stock OpenAI SDK calling `function::NAME`) gets its messages as they are, after the
 * template parts that need no variables: typically the variant's fixed system prompt.
 */
export function promptMessages(
  prompt: PromptTemplates | undefined,
  variables: Record<string, unknown> | undefined,
  messages: ChatMessage[],
): ChatMessage[] {
  if (!prompt) return messages;
  const plain = messages.length > 0 && (variables === undefined || Object.keys(variables).length === 0);
  if (!plain) return [...renderPrompt(prompt, variables ?? {}), ...messages];
  const fixed: PromptTemplates = {};
  if (prompt.system !== undefined && templateVariables(prompt.system).length === 0) fixed.system = prompt.system;
  if (prompt.user !== undefined && templateVariables(prompt.user).length === 0) fixed.user = prompt.user;
  return [...renderPrompt(fixed, {}), ...messages];
}

/**
 * A chat prompt as stored in the registry (MLflow 3 chat prompts: a JSON list of {role, content}
 * tagged `_mlflow_prompt_type=chat`); a plain text prompt is a user template.
 */
export function promptToText(prompt: PromptTemplates): string {
  const list = [];
  if (prompt.system !== undefined) list.push({ role: "system", content: prompt.system });
  if (prompt.user !== undefined) list.push({ role: "user", content: prompt.user });
  return JSON.stringify(list);
}

export function promptFromRegistry(template: string, type: string | undefined): PromptTemplates {
  if (type === "chat") {
    try {
      const list = JSON.parse(template) as { role?: unknown; content?: unknown }[];
      if (Array.isArray(list)) {
        const out: PromptTemplates = {};
        for (const m of list) {
          if (m.role === "system" && typeof m.content === "string") out.system = m.content;
          if (m.role === "user" && typeof m.content === "string") out.user = m.content;
        }
        return out;
      }
    } catch {
      // not JSON after all: fall through and treat as text
    }
  }
  return { user: template };
}
