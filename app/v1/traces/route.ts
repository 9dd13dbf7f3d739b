import { refuseOtherMethods } from "@/lib/http/methods";
import { processContext } from "@/lib/mlflow/http.server";
import { handleOtlpTraces } from "@/lib/traces/ingest.server";

// OTLP/HTTP trace ingestion (OpenTelemetry exporters, MLflow 3's span logging).
export const dynamic = "force-dynamic";
const handler = (req: Request) => handleOtlpTraces(req, processContext);
// Every method reaches the handler, so a wrong one is a 405 in OTLP's own error format (with Allow).
export const POST = handler;
export const GET = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
export const { OPTIONS } = refuseOtherMethods({ POST });
