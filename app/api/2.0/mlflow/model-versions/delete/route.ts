import { mlflowRoute } from "@/lib/mlflow/api.server";

export const dynamic = "force-dynamic";
export const DELETE = mlflowRoute("/model-versions/delete", "DELETE");
