import { mlflowPathRoute } from "@/lib/mlflow/path-routes.server";

export const dynamic = "force-dynamic";
export const PATCH = mlflowPathRoute("/logged-models/{model_id}/tags", "PATCH");
