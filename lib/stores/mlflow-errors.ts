/**
 * MLflow's error vocabulary, thrown by the stores (tracking, registry, search, artifacts, traces) and
 * mapped to `{error_code, message}` by the HTTP adapter (lib/mlflow/errors.ts). A leaf: imports nothing.
 */
/**
 * MLflow's error codes (databricks.proto) with the HTTP status its server gives each
 * (mlflow/exceptions.py). Only the codes this server raises are listed.
 */
export const MLFLOW_ERROR_STATUS = {
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  BAD_REQUEST: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
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
