import { invalidParameter } from "@/lib/stores/mlflow-errors";

/**
 * Artifact paths as clients send them, confined to the artifact root. MLflow's rule
 * (mlflow/utils/uri.py validate_path_is_safe): percent-decode until stable, then refuse `#`, `..`
 * segments, backslashes and absolute paths. We also refuse control characters (NUL included) and
 * over-long names, and normalise (`a//./b/` is `a/b`) so one file has one key.
 */
export const MAX_PATH_BYTES = 1024;
const MAX_SEGMENT_BYTES = 255;
const MAX_DECODE_ROUNDS = 8;

/** Python's urllib.parse.unquote: malformed escapes stay as they are instead of failing. */
function unquote(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = Buffer.from(run.replace(/%/g, ""), "hex");
    return bytes.toString("utf8");
  });
}

function decodeFully(raw: string): string {
  let current = raw;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    const next = unquote(current);
    if (next === current) return current;
    current = next;
  }
  throw invalidPath(raw, "it is percent-encoded too many times");
}

const invalidPath = (raw: string, reason: string) => invalidParameter(`Invalid path '${raw}': ${reason}.`);

/**
 * The normalised relative path (`""` is the root) for a path given by a client, or MLflow's
 * INVALID_PARAMETER_VALUE naming what is wrong.
 */
export function artifactPath(raw: string): string {
  const path = decodeFully(raw);
  if (path.includes("#")) throw invalidPath(raw, "'#' is not allowed");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) throw invalidPath(raw, "control characters (NUL included) are not allowed");
  if (path.includes("\\")) throw invalidPath(raw, "backslashes are not allowed; separate folders with '/'");
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) throw invalidPath(raw, "it must be relative, not absolute");
  const segments = path.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) throw invalidPath(raw, "'..' segments are not allowed");
  if (segments.some((s) => Buffer.byteLength(s) > MAX_SEGMENT_BYTES)) {
    throw invalidPath(raw, `a file or folder name is longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  const normalised = segments.join("/");
  if (Buffer.byteLength(normalised) > MAX_PATH_BYTES) throw invalidPath(raw, `it is longer than ${MAX_PATH_BYTES} bytes`);
  return normalised;
}

/** Joins normalised paths (`""` is the root). */
export const joinPath = (...parts: string[]) => parts.filter((p) => p !== "").join("/");

export const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);
