import { guardMlflow } from "@/lib/mlflow/http.server";
import { multipartEndpoints } from "@/lib/mlflow/multipart-endpoints.server";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";
export const POST = guardMlflow("tracking", multipartEndpoints().abort);
export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
