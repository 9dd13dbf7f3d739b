import { MlflowError, invalidParameter } from "@/lib/stores/mlflow-errors";

/** Over LLMOPS_ARTIFACTS_MAX_BYTES: a 413 (not retried by clients), in MLflow's error format. */
export class ArtifactTooLargeError extends MlflowError {
  constructor(limit: number) {
    super("INVALID_PARAMETER_VALUE", `Artifact exceeds the limit of ${limit} bytes (LLMOPS_ARTIFACTS_MAX_BYTES).`);
  }
  override get status(): number {
    return 413;
  }
}

export const isDirectory = (path: string) =>
  invalidParameter(`'${path}' is a folder, not a file; list it with GET /api/2.0/mlflow-artifacts/artifacts?path=${path}.`);

export const notAFolder = (path: string) => invalidParameter(`Cannot store '${path}': a file sits where a folder of its path would be.`);

export const unknownUpload = (uploadId: string) =>
  new MlflowError(
    "RESOURCE_DOES_NOT_EXIST",
    `No multipart upload with upload_id '${uploadId}' for this path (completed, aborted or never created).`,
  );
