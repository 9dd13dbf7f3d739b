import { mlflowRoute } from "@/lib/mlflow/api.server";

export const dynamic = "force-dynamic";
export const GET = mlflowRoute("/registered-models/get-latest-versions", "GET");
export const POST = mlflowRoute("/registered-models/get-latest-versions", "POST");
