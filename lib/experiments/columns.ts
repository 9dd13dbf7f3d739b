/**
 * Columns of the runs table. A column id is `<kind>:<key>`; attributes are built in, metrics,
 * params and tags are chosen in the column chooser. Each sortable column maps to MLflow's
 * order_by syntax, so sorting goes through the same search code as the API.
 */
export type ColumnKind = "attr" | "metric" | "param" | "tag";

export interface ColumnId {
  kind: ColumnKind;
  key: string;
}

/** Built-in columns: `lead` ones before the chosen metric/param/tag columns, the others after. */
export const ATTRIBUTE_COLUMNS = [
  { key: "run_name", label: "Run", sortable: true, lead: true },
  { key: "status", label: "Status", sortable: true, lead: true },
  { key: "start_time", label: "Started", sortable: true, lead: true },
  { key: "duration", label: "Duration", sortable: false, lead: true },
  { key: "dataset", label: "Dataset", sortable: false, lead: false },
  { key: "models", label: "Registered as", sortable: false, lead: false },
  { key: "user_id", label: "User", sortable: true, lead: false },
] as const;

const ATTRIBUTE_KEYS: readonly string[] = ATTRIBUTE_COLUMNS.map((c) => c.key);
const SORTABLE_ATTRIBUTES: readonly string[] = ATTRIBUTE_COLUMNS.filter((c) => c.sortable).map((c) => c.key);

export function parseColumnId(id: string): ColumnId | undefined {
  const colon = id.indexOf(":");
  if (colon <= 0) return undefined;
  const kind = id.slice(0, colon);
  const key = id.slice(colon + 1);
  if (!key) return undefined;
  if (kind === "attr") return ATTRIBUTE_KEYS.includes(key) ? { kind, key } : undefined;
  if (kind === "metric" || kind === "param" || kind === "tag") return { kind, key };
  return undefined;
}

export const formatColumnId = (c: ColumnId) => `${c.kind}:${c.key}`;

/** Quotes a key for the DSL: backticks, or double quotes when the key holds a backtick. */
export function quoteKey(key: string): string {
  if (/^[A-Za-z0-9_]+$/.test(key)) return key;
  return key.includes("`") ? `"${key.replaceAll('"', '""')}"` : `\`${key}\``;
}

/** Quotes a text value for the DSL: single quotes, an inner quote doubled. */
export const quoteValue = (value: string) => `'${value.replaceAll("'", "''")}'`;

const ENTITY: Record<Exclude<ColumnKind, "attr">, string> = { metric: "metrics", param: "params", tag: "tags" };

/** MLflow order_by text for a column, or undefined when the column cannot be sorted on. */
export function orderByFor(id: string, dir: "asc" | "desc"): string | undefined {
  const column = parseColumnId(id);
  if (!column) return undefined;
  const direction = dir === "asc" ? "ASC" : "DESC";
  if (column.kind === "attr") return SORTABLE_ATTRIBUTES.includes(column.key) ? `attributes.${column.key} ${direction}` : undefined;
  return `${ENTITY[column.kind]}.${quoteKey(column.key)} ${direction}`;
}

export function columnLabel(id: string): string {
  const column = parseColumnId(id);
  if (!column) return id;
  if (column.kind === "attr") return ATTRIBUTE_COLUMNS.find((c) => c.key === column.key)?.label ?? column.key;
  return column.key;
}

/** Chosen columns, deduplicated, in order, dropping unknown ids and built-in attributes. */
export function normaliseColumns(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of ids) {
    const column = parseColumnId(id);
    if (!column || column.kind === "attr") continue;
    const canonical = formatColumnId(column);
    if (seen.has(canonical)) continue;
    seen.add(canonical);
    out.push(canonical);
  }
  return out;
}
