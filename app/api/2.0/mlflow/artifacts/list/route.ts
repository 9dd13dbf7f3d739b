import { mlflowRoute } from "@/lib/mlflow/api.server";

export const dynamic = "force-dynamic";
export const GET = mlflowRoute("/artifacts/list", "GET");
