import { AppError } from "@/lib/http/errors";

/**
 * Refusals of authentication (401: no valid credential) and authorisation (403: a valid one without
 * the right). They are AppErrors, so the app surface maps them as it maps everything; the MLflow
 * and gateway mappers turn them into UNAUTHENTICATED / PERMISSION_DENIED and OpenAI's
 * `invalid_api_key` (lib/mlflow/errors.ts, lib/gateway/http.server.ts).
 */
export class AuthError extends AppError {
  override name = "AuthError";
  constructor(
    readonly kind: "unauthenticated" | "forbidden",
    message: string,
  ) {
    super(kind === "unauthenticated" ? "unauthorized" : "forbidden", message);
  }
}
