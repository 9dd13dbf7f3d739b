/**
 * Trace and span ids. OpenTelemetry ids are 16 (trace) and 8 (span) bytes, written as lowercase
 * hex; MLflow 3 names a trace `tr-<32 hex>` from its OpenTelemetry id, so both spellings map to
 * the same stored id (the bare hex). Feedback rows key on UUIDs: a trace id is 16 bytes, so its
 * UUID spelling is the same hex with dashes.
 */
const TRACE_HEX = /^[0-9a-f]{32}$/;
const SPAN_HEX = /^[0-9a-f]{16}$/;

export const MLFLOW_TRACE_PREFIX = "tr-";

export const isTraceHex = (hex: string) => TRACE_HEX.test(hex) && !/^0+$/.test(hex);
export const isSpanHex = (hex: string) => SPAN_HEX.test(hex) && !/^0+$/.test(hex);

/** `tr-<hex>`, a bare hex id or its UUID spelling → the stored hex id; null when none of them. */
export function parseTraceId(id: string): string | null {
  const text = id.trim().toLowerCase();
  const bare = text.startsWith(MLFLOW_TRACE_PREFIX) ? text.slice(MLFLOW_TRACE_PREFIX.length) : text.replaceAll("-", "");
  return isTraceHex(bare) ? bare : null;
}

export const toMlflowTraceId = (hex: string) => `${MLFLOW_TRACE_PREFIX}${hex}`;

export const traceHexToUuid = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

export const bytesToHex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** A W3C `traceparent` header (`00-<trace>-<span>-<flags>`); null when absent or malformed. */
export function parseTraceparent(header: string | null | undefined): { traceId: string; spanId: string } | null {
  if (!header) return null;
  const match = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(header.trim().toLowerCase());
  if (!match || match[1] === "ff") return null;
  const [, , traceId, spanId] = match;
  if (!traceId || !spanId || !isTraceHex(traceId) || !isSpanHex(spanId)) return null;
  return { traceId, spanId };
}
