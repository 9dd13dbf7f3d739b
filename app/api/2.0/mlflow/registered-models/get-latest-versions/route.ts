import { mlflowRoutes } from "@/lib/mlflow/api.server";

export const dynamic = "force-dynamic";
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = mlflowRoutes("/registered-models/get-latest-versions");
