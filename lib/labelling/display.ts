/**
 * Turns the gateway's stored input and output JSON (see lib/inference/tables.ts) into what a
 * reviewer reads: messages with their role, and the answer's text. Snapshots may be cut short
 * (LIMITS.maxSnapshotChars), so anything that does not parse is shown as raw text.
 */

export interface DisplayMessage {
  role: string;
  text: string;
}

function partText(content: unknown): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) => {
        if (typeof part === "string") return part;
        const p = part as { type?: unknown; text?: unknown };
        if (typeof p?.text === "string") return p.text;
        return `[${typeof p?.type === "string" ? p.type : "part"}]`;
      })
      .join("\n");
  }
  return JSON.stringify(content, null, 2);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A function's template variables, one `name: value` line each (values that are not text as JSON). */
function variablesText(variables: Record<string, unknown>): string {
  return Object.entries(variables)
    .map(([name, value]) => `${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("\n");
}

export function inputMessages(input: string): DisplayMessage[] {
  const parsed = parse(input) as { messages?: unknown; system?: unknown; variables?: unknown } | undefined;
  const hasVariables =
    parsed?.variables !== null && typeof parsed?.variables === "object" && Object.keys(parsed.variables as object).length > 0;
  if (!parsed || (!Array.isArray(parsed.messages) && !hasVariables)) return [{ role: "input", text: input }];
  const messages: DisplayMessage[] = [];
  // Functions fill their prompt templates from variables: those are what the caller sent.
  if (hasVariables) messages.push({ role: "variables", text: variablesText(parsed.variables as Record<string, unknown>) });
  if (typeof parsed.system === "string") messages.push({ role: "system", text: parsed.system });
  if (!Array.isArray(parsed.messages)) return messages;
  for (const m of parsed.messages as { role?: unknown; content?: unknown }[]) {
    messages.push({ role: typeof m?.role === "string" ? m.role : "message", text: partText(m?.content) });
  }
  return messages.length > 0 ? messages : [{ role: "input", text: input }];
}

export function outputText(output: string): string {
  const parsed = parse(output) as { content?: unknown; tool_calls?: unknown } | undefined;
  if (!parsed || typeof parsed !== "object") return output;
  const text = partText(parsed.content);
  const tools =
    Array.isArray(parsed.tool_calls) && parsed.tool_calls.length > 0
      ? `\n\nTool calls:\n${JSON.stringify(parsed.tool_calls, null, 2)}`
      : "";
  return (text + tools).trim() || output;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * "5 Dec 2026, 22:10 UTC": fixed words in UTC, so the server's render and the browser's agree and
 * everyone reading a shared queue sees the same text.
 */
export function readableTime(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** A ClickHouse DateTime64 text in UTC ("2026-11-01 10:00:00.000") read the same way; other text is shown as it is. */
export function readableClickHouseTime(text: string): string {
  const ms = Date.parse(`${text.trim().replace(" ", "T")}Z`);
  return Number.isFinite(ms) ? readableTime(ms) : text;
}
