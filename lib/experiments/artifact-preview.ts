import { parse as parseYaml } from "yaml";

/**
 * Pure helpers of the Artifacts tab's previews: what kind of preview a file gets, CSV/TSV read
 * into rows, and what an MLflow model's MLmodel file says (flavors, signature).
 */
export type PreviewKind = "image" | "json" | "yaml" | "csv" | "tsv" | "text" | "binary";

const TEXT_EXTENSIONS = new Set(["txt", "log", "md", "py", "ini", "cfg", "toml", "sh", "html", "xml", "jsonl", "ipynb", "sql", "r"]);
const TEXT_NAMES = new Set(["requirements.txt", "conda.yaml", "python_env.yaml", "LICENSE", "README", "Dockerfile"]);

export function previewKind(name: string): PreviewKind {
  if (name === "MLmodel" || name === "MLproject") return "yaml";
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
  if (["png", "jpg", "jpeg", "gif", "svg", "webp", "bmp"].includes(ext)) return "image";
  if (ext === "json") return "json";
  if (ext === "yaml" || ext === "yml") return "yaml";
  if (ext === "csv") return "csv";
  if (ext === "tsv") return "tsv";
  if (TEXT_EXTENSIONS.has(ext) || TEXT_NAMES.has(name)) return "text";
  return "binary";
}

/** Rows of a CSV (RFC 4180 quoting) or TSV text, at most `maxRows`; a cut last line is dropped. */
export function parseDelimited(text: string, delimiter: "," | "\t", maxRows: number, truncated = false): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < maxRows; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === delimiter) {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (!truncated && rows.length < maxRows && (cell !== "" || row.length > 0)) rows.push([...row, cell]);
  return rows;
}

export interface SignatureColumn {
  name: string;
  type: string;
  required: boolean;
}

export interface ModelSummary {
  flavors: string[];
  mlflowVersion?: string;
  modelUuid?: string;
  created?: string;
  inputs: SignatureColumn[];
  outputs: SignatureColumn[];
  params: SignatureColumn[];
}

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** A signature part: MLflow stores it as a JSON string of column or tensor specs. */
function columns(spec: unknown): SignatureColumn[] {
  let parsed: unknown = spec;
  if (typeof spec === "string") {
    try {
      parsed = JSON.parse(spec);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.map((raw, i) => {
    const c = record(raw);
    const tensor = record(c["tensor-spec"]);
    const type = c.type === "tensor" ? `tensor ${String(tensor.dtype ?? "")} ${JSON.stringify(tensor.shape ?? [])}` : String(c.type ?? "");
    return { name: typeof c.name === "string" ? c.name : `#${i}`, type: type.trim(), required: c.required !== false };
  });
}

/** What an MLmodel file says; undefined when the text is not an MLmodel (a YAML mapping with flavors). */
export function modelSummary(mlmodel: string): ModelSummary | undefined {
  let doc: unknown;
  try {
    doc = parseYaml(mlmodel);
  } catch {
    return undefined;
  }
  const m = record(doc);
  if (!("flavors" in m)) return undefined;
  const signature = record(m.signature);
  return {
    flavors: Object.keys(record(m.flavors)),
    mlflowVersion: typeof m.mlflow_version === "string" ? m.mlflow_version : undefined,
    modelUuid: typeof m.model_uuid === "string" ? m.model_uuid : undefined,
    created: typeof m.utc_time_created === "string" ? m.utc_time_created : undefined,
    inputs: columns(signature.inputs),
    outputs: columns(signature.outputs),
    params: columns(signature.params),
  };
}
