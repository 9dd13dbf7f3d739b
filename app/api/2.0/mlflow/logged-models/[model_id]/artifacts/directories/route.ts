import { mlflowPathRoutes } from "@/lib/mlflow/path-routes.server";

export const dynamic = "force-dynamic";
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = mlflowPathRoutes("/logged-models/{model_id}/artifacts/directories");
