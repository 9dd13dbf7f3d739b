import { guardMlflow } from "@/lib/mlflow/http.server";
import { traceAccess, traceRoute } from "@/lib/mlflow/trace-api.server";

// Every MLflow trace path of API 2.0 (ids in the path are matched in lib/mlflow/trace-api.server.ts).
export const dynamic = "force-dynamic";
const handler = guardMlflow(traceAccess, traceRoute("2.0"));
export const GET = handler;
export const POST = handler;
export const PATCH = handler;
export const DELETE = handler;
export const PUT = handler;
export const OPTIONS = handler;
