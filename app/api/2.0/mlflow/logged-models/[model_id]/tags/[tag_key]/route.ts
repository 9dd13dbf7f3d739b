import { mlflowPathRoute } from "@/lib/mlflow/path-routes.server";

export const dynamic = "force-dynamic";
export const DELETE = mlflowPathRoute("/logged-models/{model_id}/tags/{tag_key}", "DELETE");
