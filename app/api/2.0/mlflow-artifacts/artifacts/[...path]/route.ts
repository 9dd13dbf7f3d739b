import { guardMlflow } from "@/lib/mlflow/http.server";
import { artifactEndpoints } from "@/lib/mlflow/artifact-endpoints.server";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";
const endpoints = artifactEndpoints();
export const GET = guardMlflow("tracking-read", endpoints.download);
export const PUT = guardMlflow("tracking", endpoints.upload);
export const DELETE = guardMlflow("tracking", endpoints.remove);
export const { POST, PATCH, OPTIONS } = refuseOtherMethods({ GET, PUT, DELETE });
