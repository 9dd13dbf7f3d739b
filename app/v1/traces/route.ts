import { refuseOtherMethods } from "@/lib/http/methods";
import { processContext } from "@/lib/mlflow/http.server";
import { handleOtlpTraces } from "@/lib/traces/ingest.server";

// OTLP/HTTP trace ingestion (OpenTelemetry exporters, MLflow 3's span logging).
export const dynamic = "force-dynamic";
const handler = (req: Request) => handleOtlpTraces(req, processContext);
export const POST = handler;
export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
