import { bytesToHex, isSpanHex, isTraceHex } from "./ids";

/**
 * OTLP trace export requests, protobuf-decoded or JSON, turned into one flat list of spans. The
 * two encodings differ in field case (protobuf JSON accepts camelCase and snake_case), in ids
 * (bytes, or hex strings in OTLP/JSON) and in 64-bit integers (strings or numbers); the result
 * is the same. Malformed input throws an OtlpError whose message names the field at fault.
 */
export class OtlpError extends Error {
  override name = "OtlpError";
}

export interface OtlpEvent {
  name: string;
  timeUnixNano: string;
  attributes: Record<string, unknown>;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  /** "" for a root span. */
  parentSpanId: string;
  name: string;
  /** SpanKind number: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, unknown>;
  events: OtlpEvent[];
  /** 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string;
  /** The resource's `service.name`, "" when absent. */
  serviceName: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

const camelNames = new Map<string, string>();
const camel = (snake: string) => {
  let name = camelNames.get(snake);
  if (name === undefined) {
    name = snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    camelNames.set(snake, name);
  }
  return name;
};

function field(obj: Obj, snake: string): unknown {
  const value = obj[snake];
  return value !== undefined ? value : obj[camel(snake)];
}

function list(obj: Obj, snake: string, where: string): unknown[] {
  const value = field(obj, snake);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpError(`${where}.${camel(snake)} must be a list`);
  return value;
}

function object(value: unknown, where: string): Obj {
  if (!isObj(value)) throw new OtlpError(`${where} must be an object`);
  return value;
}

function text(obj: Obj, snake: string, where: string): string {
  const value = field(obj, snake);
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw new OtlpError(`${where}.${camel(snake)} must be a string`);
  return value;
}

function uint64(obj: Obj, snake: string, where: string): bigint {
  const value = field(obj, snake);
  if (value === undefined || value === null || value === "") return 0n;
  if ((typeof value === "number" && Number.isInteger(value) && value >= 0) || (typeof value === "string" && /^\d+$/.test(value))) {
    return BigInt(value);
  }
  throw new OtlpError(`${where}.${camel(snake)} must be an unsigned integer (nanoseconds)`);
}

const SPAN_KINDS = [
  "SPAN_KIND_UNSPECIFIED",
  "SPAN_KIND_INTERNAL",
  "SPAN_KIND_SERVER",
  "SPAN_KIND_CLIENT",
  "SPAN_KIND_PRODUCER",
  "SPAN_KIND_CONSUMER",
];
const STATUS_CODES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"];

function enumValue(value: unknown, names: string[], where: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value < names.length) return value;
  if (typeof value === "string" && names.includes(value)) return names.indexOf(value);
  throw new OtlpError(`${where} must be one of ${names.join(", ")} (or its number)`);
}

function id(value: unknown, kind: "trace" | "span", where: string, optional = false): string {
  let hex = "";
  if (value instanceof Uint8Array) hex = bytesToHex(value);
  else if (typeof value === "string") hex = value.toLowerCase();
  else if (value !== undefined && value !== null) throw new OtlpError(`${where} must be a hex string`);
  if (optional && (hex === "" || /^0+$/.test(hex))) return "";
  if (!(kind === "trace" ? isTraceHex(hex) : isSpanHex(hex))) {
    throw new OtlpError(`${where} must be a non-zero ${kind === "trace" ? 16 : 8}-byte id (hex in OTLP/JSON)`);
  }
  return hex;
}

/** An OTLP AnyValue as a plain JSON value (int64 beyond 2^53 stays a decimal string, bytes base64). */
export function anyValue(value: unknown, where: string): unknown {
  if (value === undefined || value === null) return null;
  const v = object(value, where);
  const pick = (snake: string) => field(v, snake);
  if (pick("string_value") !== undefined) return String(pick("string_value"));
  if (pick("bool_value") !== undefined) return Boolean(pick("bool_value"));
  const int = pick("int_value");
  if (int !== undefined) {
    const n = Number(int);
    if (!Number.isFinite(n)) throw new OtlpError(`${where}.intValue must be an integer`);
    return Number.isSafeInteger(n) ? n : String(int);
  }
  const dbl = pick("double_value");
  if (dbl !== undefined) return typeof dbl === "number" ? dbl : Number(dbl);
  const arr = pick("array_value");
  if (arr !== undefined) return list(object(arr, where), "values", where).map((item, i) => anyValue(item, `${where}[${i}]`));
  const kv = pick("kvlist_value");
  if (kv !== undefined) return attributes(list(object(kv, where), "values", where), where);
  const bytes = pick("bytes_value");
  if (bytes instanceof Uint8Array) return Buffer.from(bytes).toString("base64");
  if (typeof bytes === "string") return bytes;
  return null;
}

export function attributes(items: unknown[], where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  items.forEach((item, i) => {
    const kv = object(item, `${where}[${i}]`);
    const key = text(kv, "key", `${where}[${i}]`);
    if (key) out[key] = anyValue(kv.value, `${where}[${i}].value`);
  });
  return out;
}

/** Every span of an ExportTraceServiceRequest (decoded protobuf or parsed OTLP/JSON). */
export function spansOfExportRequest(request: unknown): OtlpSpan[] {
  const root = object(request, "request");
  const spans: OtlpSpan[] = [];
  list(root, "resource_spans", "request").forEach((rs, r) => {
    const whereR = `resourceSpans[${r}]`;
    const resourceSpans = object(rs, whereR);
    const resource = field(resourceSpans, "resource");
    const resourceAttrs = isObj(resource)
      ? attributes(list(resource, "attributes", `${whereR}.resource`), `${whereR}.resource.attributes`)
      : {};
    const serviceName = typeof resourceAttrs["service.name"] === "string" ? resourceAttrs["service.name"] : "";
    list(resourceSpans, "scope_spans", whereR).forEach((ss, s) => {
      const whereS = `${whereR}.scopeSpans[${s}]`;
      list(object(ss, whereS), "spans", whereS).forEach((raw, i) => {
        const where = `${whereS}.spans[${i}]`;
        const span = object(raw, where);
        const status = field(span, "status");
        const statusObj = isObj(status) ? status : {};
        const start = uint64(span, "start_time_unix_nano", where);
        const end = uint64(span, "end_time_unix_nano", where);
        spans.push({
          traceId: id(field(span, "trace_id"), "trace", `${where}.traceId`),
          spanId: id(field(span, "span_id"), "span", `${where}.spanId`),
          parentSpanId: id(field(span, "parent_span_id"), "span", `${where}.parentSpanId`, true),
          name: text(span, "name", where),
          kind: enumValue(field(span, "kind"), SPAN_KINDS, `${where}.kind`),
          startTimeUnixNano: start,
          endTimeUnixNano: end < start ? start : end,
          attributes: attributes(list(span, "attributes", where), `${where}.attributes`),
          events: list(span, "events", where).map((e, j) => {
            const event = object(e, `${where}.events[${j}]`);
            return {
              name: text(event, "name", `${where}.events[${j}]`),
              timeUnixNano: uint64(event, "time_unix_nano", `${where}.events[${j}]`).toString(),
              attributes: attributes(list(event, "attributes", `${where}.events[${j}]`), `${where}.events[${j}].attributes`),
            };
          }),
          statusCode: enumValue(field(statusObj, "code"), STATUS_CODES, `${where}.status.code`),
          statusMessage: text(statusObj, "message", `${where}.status`),
          serviceName,
        });
      });
    });
  });
  return spans;
}
