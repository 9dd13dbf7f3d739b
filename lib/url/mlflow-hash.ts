/**
 * MLflow's web UI routes live in the URL's hash (`/#/experiments/1/runs/abc`), and MLflow clients
 * print such links ("View run at …"). A hash never reaches the server, so the page served at `/`
 * maps them to this app's pages in the browser. Unknown routes map to nothing (stay on `/`).
 */
const seg = (s: string | undefined) => encodeURIComponent(decodeURIComponent(s ?? ""));

function compareRuns(query: URLSearchParams): string | undefined {
  try {
    const runs: unknown = JSON.parse(query.get("runs") ?? "[]");
    if (!Array.isArray(runs) || runs.length === 0) return undefined;
    return `/experiments/compare?${runs.map((r) => `runs=${encodeURIComponent(String(r))}`).join("&")}`;
  } catch {
    return undefined;
  }
}

export function mlflowHashTarget(hash: string): string | undefined {
  const route = hash.replace(/^#!?/, "");
  if (!route.startsWith("/")) return undefined;
  const [pathPart = "", queryPart = ""] = route.split("?", 2);
  const parts = pathPart.split("/").filter(Boolean);
  const query = new URLSearchParams(queryPart);
  const [head, a, b, c, d, ...rest] = parts;
  switch (head) {
    case undefined:
      return undefined;
    case "experiments": {
      if (!a) return "/experiments";
      const experiment = `/experiments/${seg(a)}`;
      if (b === "runs" && c) {
        const run = `${experiment}/runs/${seg(c)}`;
        if (d === "artifacts" || d === "artifactPath") {
          const path = rest.map((p) => decodeURIComponent(p)).join("/");
          return `${run}?tab=artifacts${path ? `&path=${encodeURIComponent(path)}` : ""}`;
        }
        return run;
      }
      if (b === "models" && c) return `/lineage?node=${encodeURIComponent(`logged_model:${decodeURIComponent(c)}`)}`;
      return experiment;
    }
    case "compare-runs":
      return compareRuns(query);
    case "models":
      if (!a) return "/registry";
      if (b === "versions" && c) return `/registry/models/${seg(a)}/versions/${seg(c)}`;
      return `/registry/models/${seg(a)}`;
    case "prompts":
      if (!a) return "/registry";
      return `/registry/prompts/${seg(a)}`;
    default:
      return undefined;
  }
}
