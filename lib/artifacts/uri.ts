import { invalidParameter } from "@/lib/stores/mlflow-errors";
import { artifactPath } from "./paths";

/**
 * Run and logged-model artifact locations this server stores itself: `mlflow-artifacts:/<path>`
 * (also with a host, `mlflow-artifacts://host:port/<path>`) and `http(s)://…/api/2.0/mlflow-artifacts/artifacts/<path>`,
 * as MLflow's server resolves them (handlers.py _get_proxied_run_artifact_destination_path).
 * Any other location (s3://…, file://…) was chosen by the client, which reads and writes it itself.
 */
const HTTP_ANCHOR = "/api/2.0/mlflow-artifacts/artifacts/";

export function proxiedRoot(uri: string): string | undefined {
  if (uri.startsWith("mlflow-artifacts:")) {
    const rest = uri.slice("mlflow-artifacts:".length);
    // mlflow-artifacts://host:port/path: the path starts after the authority.
    const path = rest.startsWith("//") ? rest.slice(rest.indexOf("/", 2) === -1 ? rest.length : rest.indexOf("/", 2)) : rest;
    return artifactPath(path.replace(/^\/+/, ""));
  }
  if (/^https?:\/\//.test(uri)) {
    const { pathname } = new URL(uri);
    const at = pathname.indexOf(HTTP_ANCHOR);
    if (at !== -1) return artifactPath(pathname.slice(at + HTTP_ANCHOR.length));
  }
  return undefined;
}

/** The storage path of an entity's artifact root, or a 400 saying this server does not hold it. */
export function requireProxiedRoot(uri: string, owner: string): string {
  const root = proxiedRoot(uri);
  if (root === undefined) {
    throw invalidParameter(
      `The artifacts of ${owner} live at '${uri}', which this server does not serve; only mlflow-artifacts:/ locations are ` +
        "stored here. Read them with a client that can reach that location.",
    );
  }
  return root;
}
