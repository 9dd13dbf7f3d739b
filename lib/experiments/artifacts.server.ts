import "server-only";
import { getArtifactStore } from "@/lib/artifacts/index.server";
import { artifactPath, joinPath } from "@/lib/artifacts/paths";
import { proxiedRoot } from "@/lib/artifacts/uri";
import { AppError } from "@/lib/http/errors";
import { modelsOfRun } from "@/lib/logged-models/links.server";
import type { TrackingContext } from "@/lib/tracking/context";
import { getRun } from "@/lib/tracking/runs.server";
import type { ArtifactRoot, ArtifactsReply } from "./artifacts";
import { mlflowToApp } from "./errors";

const PROXY = "/api/2.0/mlflow-artifacts/artifacts/";
const downloadBase = (uri: string) => {
  const root = proxiedRoot(uri);
  return root === undefined ? null : `${PROXY}${root.split("/").map(encodeURIComponent).join("/")}`;
};

/** A run's artifact roots: its own, then each logged model it produced (MLflow 3 keeps model files apart from the run's). */
export async function loadArtifactRoots(ctx: TrackingContext, runId: string): Promise<ArtifactRoot[]> {
  const run = await getRun({ ctx, input: { runId } });
  const models = await modelsOfRun(ctx.db, runId);
  return [
    { id: "run", label: "Run artifacts", uri: run.info.artifactUri, downloadBase: downloadBase(run.info.artifactUri) },
    ...models.map((m) => ({
      id: m.modelId,
      label: `${m.name} (logged model)`,
      uri: m.artifactLocation,
      downloadBase: downloadBase(m.artifactLocation),
      status: m.status,
    })),
  ];
}

/** One folder of one root, entries sorted folders first, with paths relative to the root. */
export function loadArtifacts(ctx: TrackingContext, runId: string, query: { root: string; path: string }): Promise<ArtifactsReply> {
  return mlflowToApp(async () => {
    const roots = await loadArtifactRoots(ctx, runId);
    const root = roots.find((r) => r.id === query.root);
    if (!root) throw new AppError("not_found", `Run ${runId} has no artifact root '${query.root}'`);
    const folder = artifactPath(query.path);
    const storage = proxiedRoot(root.uri);
    const files = storage === undefined ? [] : await (ctx.artifacts ?? getArtifactStore()).list(joinPath(storage, folder));
    const entries = files
      .map((f) => ({ path: joinPath(folder, f.path), name: f.path, isDir: f.isDir, size: f.size }))
      .sort((a, b) => Number(b.isDir) - Number(a.isDir) || (a.name < b.name ? -1 : 1));
    return { roots, root: root.id, path: folder, entries };
  });
}
