import type { RequestContext } from "@/lib/auth/context.server";
import { refusal, refuseOtherMethods } from "@/lib/http/methods";
import { guardMlflow } from "@/lib/mlflow/http.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { handleOtlpTraces, refuseOtlpMethod } from "@/lib/traces/ingest.server";

// OTLP/HTTP trace ingestion (OpenTelemetry exporters, MLflow 3's span logging).
export const dynamic = "force-dynamic";
// Exporters send the key as a header (OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer …").
export const POST = guardMlflow("tracking", (req: Request, _route: unknown, ctx: RequestContext) =>
  handleOtlpTraces(req, trackingContextOf(ctx)),
);
// Every other method is a 405 in OTLP's own error format (with Allow), not Next's.
const wrongMethod = refusal(async (req: Request) => refuseOtlpMethod(req));
export const GET = wrongMethod;
export const PUT = wrongMethod;
export const PATCH = wrongMethod;
export const DELETE = wrongMethod;
export const { OPTIONS } = refuseOtherMethods({ POST });
