import { mlflowRoute } from "@/lib/mlflow/api.server";

export const dynamic = "force-dynamic";
export const GET = mlflowRoute("/metrics/get-history-bulk-interval", "GET");
