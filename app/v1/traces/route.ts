import { refuseOtherMethods } from "@/lib/http/methods";
import { guardMlflow, processContext } from "@/lib/mlflow/http.server";
import { handleOtlpTraces } from "@/lib/traces/ingest.server";

// OTLP/HTTP trace ingestion (OpenTelemetry exporters, MLflow 3's span logging).
export const dynamic = "force-dynamic";
// Exporters send the key as a header (OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer …").
const ingest = guardMlflow("tracking", (req: Request) => handleOtlpTraces(req, processContext));
const handler = (req: Request) => (req.method === "POST" ? ingest(req) : handleOtlpTraces(req, processContext));
// Every method reaches the handler, so a wrong one is a 405 in OTLP's own error format (with Allow).
export const POST = handler;
export const GET = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
export const { OPTIONS } = refuseOtherMethods({ POST });
