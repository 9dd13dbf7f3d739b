import "server-only";
import { gunzipSync, inflateSync } from "node:zlib";
import { MlflowError } from "@/lib/stores/mlflow-errors";
import { StoreUnavailableError } from "@/lib/stores/errors";
import type { TrackingContext } from "@/lib/tracking/context";
import { OtlpError, spansOfExportRequest } from "./otlp";
import { decodeExportRequest, encodeExportResponse, encodeRpcStatus } from "./otlp-proto";
import { ingestSpans } from "./service.server";

/**
 * OTLP/HTTP trace ingestion (`POST /v1/traces`), as an OpenTelemetry collector answers it:
 * protobuf (`application/x-protobuf`) or JSON (`application/json`) bodies, optionally gzip- or
 * deflate-compressed; the MLflow experiment comes from the `x-mlflow-experiment-id` header, as
 * MLflow's server takes it. The reply is an ExportTraceServiceResponse in the request's encoding;
 * errors are a google.rpc.Status in that encoding with a 4xx that says what is wrong (503 when
 * ClickHouse is down, which OTLP senders retry). A 200 means every span is written.
 */
export const OTLP_TRACES_PATH = "/v1/traces";
export const EXPERIMENT_HEADER = "x-mlflow-experiment-id";
/** Largest body accepted, compressed or not. */
export const OTLP_MAX_BODY_BYTES = 64 * 1024 * 1024;

type Encoding = "protobuf" | "json";

class IngestError extends Error {
  constructor(
    readonly status: number,
    readonly rpcCode: number,
    message: string,
  ) {
    super(message);
  }
}
const badRequest = (message: string) => new IngestError(400, 3, message);

function reply(encoding: Encoding, status: number, body: Uint8Array | object): Response {
  if (encoding === "json") return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  return new Response(Buffer.from(body as Uint8Array), { status, headers: { "content-type": "application/x-protobuf" } });
}

function errorReply(encoding: Encoding, error: unknown): Response {
  let status = 500;
  let code = 13;
  let message = "Internal error; see the server log.";
  if (error instanceof IngestError) ({ status, rpcCode: code, message } = error);
  else if (error instanceof OtlpError) [status, code, message] = [400, 3, `Invalid OpenTelemetry ${encoding} request: ${error.message}`];
  else if (error instanceof MlflowError) [status, code, message] = [error.status, error.status === 404 ? 5 : 3, error.message];
  else if (error instanceof StoreUnavailableError) [status, code, message] = [503, 14, error.message];
  else console.error("[traces] OTLP ingestion failed", error);
  const res = reply(encoding, status, encoding === "json" ? { code, message } : encodeRpcStatus(code, message));
  if (status === 405) res.headers.set("allow", "POST, OPTIONS");
  return res;
}

function decompress(body: Buffer, encoding: string | null): Buffer {
  const name = (encoding ?? "identity").trim().toLowerCase();
  const options = { maxOutputLength: OTLP_MAX_BODY_BYTES };
  try {
    if (name === "gzip") return gunzipSync(body, options);
    if (name === "deflate") return inflateSync(body, options);
  } catch (error) {
    throw badRequest(`The ${name} body could not be decompressed: ${(error as Error).message}`);
  }
  if (name === "identity" || name === "") return body;
  throw new IngestError(415, 3, `Unsupported Content-Encoding '${encoding}'; use gzip, deflate or none.`);
}

function contentTypeOf(req: Request): string | undefined {
  return (req.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
}

// Protobuf answers only for protobuf requests: a client that sent anything else reads JSON errors.
const encodingOf = (type: string | undefined): Encoding => (type === "application/x-protobuf" ? "protobuf" : "json");

const methodNotAllowed = (req: Request) =>
  new IngestError(405, 12, `Method ${req.method} is not allowed on ${OTLP_TRACES_PATH}; use POST.`);

/** The 405 of any method but POST, in OTLP's error format and the request's encoding (before any credential is read). */
export function refuseOtlpMethod(req: Request): Response {
  return errorReply(encodingOf(contentTypeOf(req)), methodNotAllowed(req));
}

export async function handleOtlpTraces(req: Request, ctx: TrackingContext | (() => Promise<TrackingContext>)): Promise<Response> {
  const type = contentTypeOf(req);
  const encoding = encodingOf(type);
  try {
    if (req.method !== "POST") throw methodNotAllowed(req);
    if (type !== "application/x-protobuf" && type !== "application/json") {
      throw new IngestError(415, 3, `Invalid Content-Type: ${type || "(none)"}. Expected application/x-protobuf or application/json.`);
    }
    const experimentId = req.headers.get(EXPERIMENT_HEADER)?.trim();
    if (!experimentId) throw badRequest(`The ${EXPERIMENT_HEADER} header is required: it names the MLflow experiment the spans belong to.`);
    const declared = Number(req.headers.get("content-length") ?? 0);
    if (declared > OTLP_MAX_BODY_BYTES)
      throw new IngestError(413, 8, `Request body of ${declared} bytes exceeds the limit of ${OTLP_MAX_BODY_BYTES} bytes.`);
    const raw = Buffer.from(await req.arrayBuffer());
    if (raw.length > OTLP_MAX_BODY_BYTES) throw new IngestError(413, 8, `Request body exceeds the limit of ${OTLP_MAX_BODY_BYTES} bytes.`);
    const body = decompress(raw, req.headers.get("content-encoding"));
    let request: unknown;
    if (encoding === "json") {
      try {
        request = JSON.parse(body.toString("utf8"));
      } catch (error) {
        throw badRequest(`The body is not valid JSON: ${(error as Error).message}`);
      }
    } else {
      try {
        request = decodeExportRequest(body);
      } catch (error) {
        throw badRequest(`Invalid OpenTelemetry protobuf format: ${(error as Error).message}`);
      }
    }
    const spans = spansOfExportRequest(request);
    if (spans.length > 0) await ingestSpans(typeof ctx === "function" ? await ctx() : ctx, experimentId, spans);
    return reply(encoding, 200, encoding === "json" ? {} : encodeExportResponse());
  } catch (error) {
    return errorReply(encoding, error);
  }
}
