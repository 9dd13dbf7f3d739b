import "server-only";
import { getArtifactStore } from "@/lib/artifacts/index.server";
import { artifactPath, joinPath } from "@/lib/artifacts/paths";
import { requireProxiedRoot } from "@/lib/artifacts/uri";
import { getLoggedModel } from "@/lib/logged-models/models.server";
import type { RequestContext } from "@/lib/auth/context.server";
import { trackingContextOf, type TrackingContext } from "@/lib/tracking/context";
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

/** Route handler behind guardMlflow, which gives the request context. */
export async function loggedModelFileRoute(
  req: Request,
  context: { params: Promise<{ model_id: string }> },
  ctx: RequestContext,
): Promise<Response> {
  const { model_id } = await context.params;
  return sendLoggedModelFile(trackingContextOf(ctx), req, model_id);
}
