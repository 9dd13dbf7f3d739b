import { mlflowPathRoute } from "@/lib/mlflow/path-routes.server";

export const dynamic = "force-dynamic";
export const POST = mlflowPathRoute("/logged-models/{model_id}/params", "POST");
