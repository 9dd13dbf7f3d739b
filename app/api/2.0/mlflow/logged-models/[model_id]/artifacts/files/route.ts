import { guardMlflow } from "@/lib/mlflow/http.server";
import { loggedModelFileRoute } from "@/lib/mlflow/logged-model-files.server";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";
export const GET = guardMlflow("tracking-read", loggedModelFileRoute);
export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
