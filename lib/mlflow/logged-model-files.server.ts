import "server-only";
import { getArtifactStore } from "@/lib/artifacts/index.server";
import { artifactPath, joinPath } from "@/lib/artifacts/paths";
import { requireProxiedRoot } from "@/lib/artifacts/uri";
import { getLoggedModel } from "@/lib/logged-models/models.server";
import { getStores } from "@/lib/stores/index.server";
import type { TrackingContext } from "@/lib/tracking/context";
import { respond } from "./artifact-http.server";
import { sendArtifact } from "./artifact-endpoints.server";
import { MlflowError } from "@/lib/stores/mlflow-errors";

/**
 * GET /api/2.0/mlflow/logged-models/{model_id}/artifacts/files?artifact_file_path=… (handlers.py
 * get_logged_model_artifact_handler): one file of a logged model, streamed as the proxy streams it.
 */
export async function sendLoggedModelFile(ctx: TrackingContext, req: Request, modelId: string): Promise<Response> {
  return respond(async () => {
    const raw = new URL(req.url).searchParams.get("artifact_file_path");
    if (!raw) throw new MlflowError("BAD_REQUEST", 'Request must include the "artifact_file_path" query parameter.');
    const model = await getLoggedModel({ ctx, input: { modelId } });
    const root = requireProxiedRoot(model.artifactLocation, `logged model ${modelId}`);
    return sendArtifact(ctx.artifacts ?? getArtifactStore(), joinPath(root, artifactPath(raw)), req.headers.get("range"));
  });
}

export async function loggedModelFileRoute(req: Request, context: { params: Promise<{ model_id: string }> }): Promise<Response> {
  const { model_id } = await context.params;
  return respond(async () => {
    const stores = await getStores();
    return sendLoggedModelFile({ db: stores.postgres.db, clickhouse: stores.clickhouse.client }, req, model_id);
  });
}
