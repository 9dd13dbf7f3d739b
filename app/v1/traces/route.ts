import { refusal, refuseOtherMethods } from "@/lib/http/methods";
import { guardMlflow, processContext } from "@/lib/mlflow/http.server";
import { handleOtlpTraces } from "@/lib/traces/ingest.server";

// OTLP/HTTP trace ingestion (OpenTelemetry exporters, MLflow 3's span logging).
export const dynamic = "force-dynamic";
// Exporters send the key as a header (OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer …").
const ingest = guardMlflow("tracking", (req: Request) => handleOtlpTraces(req, processContext));
// Every other method reaches the handler too, so a wrong one is a 405 in OTLP's own error format (with Allow).
const wrongMethod = refusal((req: Request) => handleOtlpTraces(req, processContext));
export const POST = ingest;
export const GET = wrongMethod;
export const PUT = wrongMethod;
export const PATCH = wrongMethod;
export const DELETE = wrongMethod;
export const { OPTIONS } = refuseOtherMethods({ POST });
