/**
 * MLflow's error codes (databricks.proto) with the HTTP status its server gives each
 * (mlflow/exceptions.py). Only the codes this server raises are listed.
 */
export const MLFLOW_ERROR_STATUS = {
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  BAD_REQUEST: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
} as const;

export type MlflowErrorCode = keyof typeof MLFLOW_ERROR_STATUS;

export interface MlflowErrorBody {
  error_code: MlflowErrorCode;
  message: string;
}

export class MlflowError extends Error {
  override name = "MlflowError";
  constructor(
    readonly code: MlflowErrorCode,
    message: string,
  ) {
    super(message);
  }
  get status(): number {
    return MLFLOW_ERROR_STATUS[this.code];
  }
}

export const invalidParameter = (message: string) => new MlflowError("INVALID_PARAMETER_VALUE", message);
export const notFound = (message: string) => new MlflowError("RESOURCE_DOES_NOT_EXIST", message);
export const alreadyExists = (message: string) => new MlflowError("RESOURCE_ALREADY_EXISTS", message);

/**
 * The single mapping from a thrown value to MLflow's `{error_code, message}`. Anything that is not
 * an MlflowError is a bug or an outage: logged, and answered with a generic 500 (which MLflow
 * clients retry), never with internals.
 */
export function toMlflowErrorBody(error: unknown): { status: number; body: MlflowErrorBody } {
  if (error instanceof MlflowError) return { status: error.status, body: { error_code: error.code, message: error.message } };
  console.error("[mlflow] unexpected error", error);
  return { status: 500, body: { error_code: "INTERNAL_ERROR", message: "Internal error; see the server log." } };
}
