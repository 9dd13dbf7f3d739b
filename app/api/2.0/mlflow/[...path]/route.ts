import { mlflowEndpointNotFound } from "@/lib/mlflow/http.server";

// Every MLflow path this server does not implement answers in MLflow's error format, not with HTML.
export const dynamic = "force-dynamic";
export const GET = mlflowEndpointNotFound;
export const POST = mlflowEndpointNotFound;
export const PATCH = mlflowEndpointNotFound;
export const DELETE = mlflowEndpointNotFound;
export const PUT = mlflowEndpointNotFound;
