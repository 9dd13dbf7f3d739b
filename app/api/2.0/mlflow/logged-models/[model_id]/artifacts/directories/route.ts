import { mlflowPathRoute } from "@/lib/mlflow/path-routes.server";

export const dynamic = "force-dynamic";
export const GET = mlflowPathRoute("/logged-models/{model_id}/artifacts/directories", "GET");
