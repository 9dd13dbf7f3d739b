import { mlflowRoute } from "@/lib/mlflow/api.server";

export const dynamic = "force-dynamic";
export const POST = mlflowRoute("/runs/outputs", "POST");
