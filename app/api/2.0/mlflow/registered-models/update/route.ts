import { mlflowRoute } from "@/lib/mlflow/api.server";

export const dynamic = "force-dynamic";
export const PATCH = mlflowRoute("/registered-models/update", "PATCH");
