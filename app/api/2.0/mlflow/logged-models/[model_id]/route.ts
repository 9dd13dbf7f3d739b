import { mlflowPathRoute } from "@/lib/mlflow/path-routes.server";

export const dynamic = "force-dynamic";
export const GET = mlflowPathRoute("/logged-models/{model_id}", "GET");
export const PATCH = mlflowPathRoute("/logged-models/{model_id}", "PATCH");
export const DELETE = mlflowPathRoute("/logged-models/{model_id}", "DELETE");
