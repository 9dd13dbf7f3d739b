/**
 * Content types by extension, for downloads and previews. A short table rather than a library:
 * these are the types the run page previews; anything else is served as a download of bytes.
 * MLflow's own files (MLmodel, MLproject) are YAML without an extension.
 */
const TYPES: Record<string, string> = {
  txt: "text/plain",
  log: "text/plain",
  md: "text/markdown",
  json: "application/json",
  yaml: "application/x-yaml",
  yml: "application/x-yaml",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  html: "text/html",
  py: "text/x-python",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  svg: "image/svg+xml",
  webp: "image/webp",
  pdf: "application/pdf",
};

const YAML_NAMES = new Set(["MLmodel", "MLproject"]);

export function contentType(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (YAML_NAMES.has(name)) return "text/plain";
  const dot = name.lastIndexOf(".");
  return (dot > 0 && TYPES[name.slice(dot + 1).toLowerCase()]) || "application/octet-stream";
}
