import { mlflowRoute } from "@/lib/mlflow/api.server";

export const dynamic = "force-dynamic";
export const GET = mlflowRoute("/experiments/search", "GET");
export const POST = mlflowRoute("/experiments/search", "POST");
