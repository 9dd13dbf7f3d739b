import { guardMlflow } from "@/lib/mlflow/http.server";
import { artifactEndpoints } from "@/lib/mlflow/artifact-endpoints.server";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";
export const GET = guardMlflow("tracking-read", artifactEndpoints().list);
export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
