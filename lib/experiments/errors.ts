import { AppError } from "@/lib/http/errors";
import { MlflowError } from "@/lib/stores/mlflow-errors";

/**
 * The tracking services speak MLflow's errors; the dashboard's JSON routes speak ours. A bad
 * filter stays a 400 with MLflow's message, a missing run a 404, never a 500.
 */
export function toAppError(error: unknown): unknown {
  if (!(error instanceof MlflowError)) return error;
  switch (error.code) {
    case "RESOURCE_DOES_NOT_EXIST":
    case "ENDPOINT_NOT_FOUND":
      return new AppError("not_found", error.message);
    case "INVALID_PARAMETER_VALUE":
    case "BAD_REQUEST":
      return new AppError("bad_request", error.message);
    case "RESOURCE_ALREADY_EXISTS":
      return new AppError("conflict", error.message);
    case "UNAUTHENTICATED":
      return new AppError("unauthorized", error.message);
    case "PERMISSION_DENIED":
      return new AppError("forbidden", error.message);
    case "TEMPORARILY_UNAVAILABLE":
      return new AppError("unavailable", error.message);
    case "INTERNAL_ERROR":
    case "NOT_IMPLEMENTED":
      return error;
  }
}

export async function mlflowToApp<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toAppError(error);
  }
}
