import { refuseOtherMethods } from "@/lib/http/methods";
import { MLFLOW_SERVER_VERSION } from "@/lib/traces/version";

// MLflow clients ask the server's version (`GET /version`) to pick the APIs they use.
export const dynamic = "force-static";
export const GET = Object.assign(version, { access: "public" as const });
function version(): Response {
  return new Response(MLFLOW_SERVER_VERSION, { headers: { "content-type": "text/plain; charset=utf-8" } });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
