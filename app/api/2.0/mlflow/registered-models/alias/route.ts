import { mlflowRoute } from "@/lib/mlflow/api.server";

export const dynamic = "force-dynamic";
export const GET = mlflowRoute("/registered-models/alias", "GET");
export const POST = mlflowRoute("/registered-models/alias", "POST");
export const DELETE = mlflowRoute("/registered-models/alias", "DELETE");
