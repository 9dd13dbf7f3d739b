import { loggedModelFileRoute } from "@/lib/mlflow/logged-model-files.server";

export const dynamic = "force-dynamic";
export const GET = loggedModelFileRoute;
