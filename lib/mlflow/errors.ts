import { AuthError } from "@/lib/auth/errors";
import { clipMessage } from "@/lib/http/clip";
import { MlflowError, type MlflowErrorBody } from "@/lib/stores/mlflow-errors";

/**
 * The single mapping from a thrown value to MLflow's `{error_code, message}`. Anything that is not
 * an MlflowError is a bug or an outage: logged, and answered with a generic 500 (which MLflow
 * clients retry), never with internals.
 */
export function toMlflowErrorBody(error: unknown): { status: number; body: MlflowErrorBody } {
  if (error instanceof MlflowError) {
    return { status: error.status, body: { error_code: error.code, message: clipMessage(error.message) } };
  }
  if (error instanceof AuthError) {
    // MLflow's own codes for a missing or refused credential (databricks.proto ErrorCode).
    const code = error.kind === "unauthenticated" ? "UNAUTHENTICATED" : "PERMISSION_DENIED";
    return { status: error.status, body: { error_code: code, message: clipMessage(error.message) } };
  }
  console.error("[mlflow] unexpected error", error);
  return { status: 500, body: { error_code: "INTERNAL_ERROR", message: "Internal error; see the server log." } };
}
