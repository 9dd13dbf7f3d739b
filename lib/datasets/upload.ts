import { parse as parseCsv } from "csv-parse/sync";
import { z } from "zod";
import { type assertion, newItem, type NewItem } from "./schemas";

/**
 * Uploaded files (JSON Lines or CSV) to dataset items: parse into rows of named columns, guess a
 * column mapping, then build items with one clear error per bad row (its line number and why).
 * Pure, so the preview and the final save give the same answer.
 */

export const UPLOAD_FORMATS = ["jsonl", "csv"] as const;
export type UploadFormat = (typeof UPLOAD_FORMATS)[number];

export const columnMapping = z.object({
  /** A column holding the whole input object (`{variables, messages}`) as JSON. */
  input: z.string().optional(),
  /** Columns that become template variables (by their column name). */
  variables: z.array(z.string()).default([]),
  /** A column holding a JSON array of chat messages. */
  messages: z.string().optional(),
  expected_output: z.string().optional(),
  context: z.string().optional(),
  /** A column holding a JSON array of assertions, or promptfoo's `__expected` text (`contains: x`). */
  assertions: z.string().optional(),
  /** Columns that become item tags (by their column name). */
  tags: z.array(z.string()).default([]),
});
export type ColumnMapping = z.infer<typeof columnMapping>;

export interface ParsedUpload {
  columns: string[];
  /** Rows with the line each starts on (1-based), for errors. */
  rows: { line: number; values: Record<string, unknown> }[];
  errors: RowError[];
}

export interface RowError {
  line: number;
  message: string;
}

export const MAX_UPLOAD_ROWS = 100_000;

export function parseUpload(format: UploadFormat, text: string): ParsedUpload {
  return format === "jsonl" ? parseJsonl(text) : parseCsvText(text);
}

function parseJsonl(text: string): ParsedUpload {
  const rows: ParsedUpload["rows"] = [];
  const errors: RowError[] = [];
  const columns = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      errors.push({ line: i + 1, message: `not valid JSON: ${(error as Error).message}` });
      return;
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      errors.push({ line: i + 1, message: "each line must be a JSON object" });
      return;
    }
    Object.keys(value).forEach((k) => columns.add(k));
    rows.push({ line: i + 1, values: value as Record<string, unknown> });
  });
  return { columns: [...columns], rows: rows.slice(0, MAX_UPLOAD_ROWS), errors };
}

function parseCsvText(text: string): ParsedUpload {
  let records: string[][];
  try {
    records = parseCsv(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (error) {
    return {
      columns: [],
      rows: [],
      errors: [{ line: Number((error as { lines?: number }).lines ?? 1), message: (error as Error).message }],
    };
  }
  const [header, ...body] = records;
  if (!header) return { columns: [], rows: [], errors: [{ line: 1, message: "the file is empty: a CSV needs a header row" }] };
  const columns = header.map((h) => h.trim());
  const errors: RowError[] = [];
  const rows = body.slice(0, MAX_UPLOAD_ROWS).flatMap((record, i) => {
    if (record.length > columns.length) {
      errors.push({ line: i + 2, message: `${record.length} fields but the header has ${columns.length}` });
      return [];
    }
    return [{ line: i + 2, values: Object.fromEntries(columns.map((c, k) => [c, record[k] ?? ""])) }];
  });
  return { columns, rows, errors };
}

const EXPECTED = ["expected_output", "expected", "ideal", "answer", "reference", "output"];
const CONTEXT = ["context", "contexts", "reference_context"];
const ASSERTIONS = ["assertions", "assert", "__expected"];

/** A first guess of the mapping from column names; the user can change every part. */
export function guessMapping(format: UploadFormat, columns: string[]): ColumnMapping {
  const lower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const pick = (names: string[]) => names.map((n) => lower.get(n)).find((c) => c !== undefined);
  const input = pick(["input"]);
  const messages = pick(["messages"]);
  const expected = pick(EXPECTED);
  const context = pick(CONTEXT);
  const assertions = pick(ASSERTIONS);
  const tags = pick(["tags"]);
  const vars = pick(["vars", "variables"]);
  const taken = new Set([input, messages, expected, context, assertions, tags, vars, pick(["inference_id", "__description"])]);
  const variables = vars ? [vars] : input || messages ? [] : columns.filter((c) => !taken.has(c));
  return columnMapping.parse({
    input,
    messages,
    expected_output: expected,
    context,
    assertions,
    variables,
    tags: tags ? [tags] : [],
  });
}

/** Reads promptfoo's `__expected` shorthand: `contains: x`, `not-icontains: y`, `javascript: …`, else equals. */
export function assertionFromText(text: string): z.infer<typeof assertion> {
  const match = /^(not-)?([a-z][a-z0-9-]*):\s?(.*)$/s.exec(text.trim());
  if (match && match[2] !== "http" && match[2] !== "https") {
    const value = match[3]!;
    const type = `${match[1] ?? ""}${match[2]}`;
    if (type === "grade" || type === "llm-rubric") return { type: "llm-rubric", value };
    return { type, value: value === "" ? undefined : value };
  }
  return { type: "equals", value: text };
}

const asJson = (value: unknown, what: string): unknown => {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`${what} is not valid JSON`);
  }
};

const asText = (value: unknown): string | undefined =>
  value === undefined || value === null || value === "" ? undefined : typeof value === "string" ? value : JSON.stringify(value);

function rowToItem(values: Record<string, unknown>, mapping: ColumnMapping): NewItem {
  const rawInput = mapping.input ? values[mapping.input] : undefined;
  const input = (rawInput === undefined || rawInput === "" ? {} : asJson(rawInput, `column "${mapping.input}"`)) as Record<string, unknown>;
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new Error(`column "${mapping.input}" must hold an object like {"variables": {...}}`);
  const variables: Record<string, unknown> = { ...(input.variables as Record<string, unknown> | undefined) };
  for (const column of mapping.variables) {
    const value = values[column];
    // A column holding an object (JSONL `vars`) spreads into variables; any other value is one variable.
    if (value && typeof value === "object" && !Array.isArray(value)) Object.assign(variables, value);
    else if (value !== undefined) variables[column] = value;
  }
  const messages = mapping.messages ? asJson(values[mapping.messages], `column "${mapping.messages}"`) : input.messages;
  let assertions: unknown = mapping.assertions ? values[mapping.assertions] : undefined;
  if (typeof assertions === "string" && assertions.trim()) {
    assertions = assertions.trim().startsWith("[") ? asJson(assertions, `column "${mapping.assertions}"`) : [assertionFromText(assertions)];
  } else if (assertions === "") assertions = undefined;
  const tags: Record<string, string> = {};
  for (const column of mapping.tags) {
    const value = values[column];
    if (value && typeof value === "object" && !Array.isArray(value)) Object.assign(tags, value);
    else if (value !== undefined && value !== "") tags[column] = String(value);
  }
  const inference = values.inference_id;
  return newItem.parse({
    input: { ...(Object.keys(variables).length ? { variables } : {}), ...(messages !== undefined ? { messages } : {}) },
    expected_output: mapping.expected_output ? asText(values[mapping.expected_output]) : undefined,
    context: mapping.context ? asText(values[mapping.context]) : undefined,
    assertions,
    tags: Object.keys(tags).length ? tags : undefined,
    inference_id: typeof inference === "string" && inference ? inference : undefined,
  });
}

/** Items from parsed rows; a row that fails becomes an error naming its line and the field at fault. */
export function buildItems(parsed: ParsedUpload, mapping: ColumnMapping): { items: NewItem[]; errors: RowError[] } {
  const items: NewItem[] = [];
  const errors: RowError[] = [...parsed.errors];
  for (const row of parsed.rows) {
    try {
      items.push(rowToItem(row.values, mapping));
    } catch (error) {
      const message =
        error instanceof z.ZodError
          ? error.issues.map((i) => `${i.path.join(".") || "item"}: ${i.message}`).join("; ")
          : (error as Error).message;
      errors.push({ line: row.line, message });
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { items, errors };
}
