import protobuf from "protobufjs";

/**
 * The OTLP trace export messages, from the official opentelemetry-proto definitions
 * (opentelemetry/proto/{common,resource,trace}/v1 and collector/trace/v1, Apache-2.0), trimmed to
 * the fields a collector reads; field numbers and types are unchanged, so any OTLP/protobuf
 * sender decodes here. protobufjs parses them once per process.
 */
const OTLP_TRACE_PROTO = `
syntax = "proto3";
package opentelemetry.proto;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }

message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  message Event {
    fixed64 time_unix_nano = 1;
    string name = 2;
    repeated KeyValue attributes = 3;
    uint32 dropped_attributes_count = 4;
  }
  repeated Event events = 11;
  uint32 dropped_events_count = 12;
  message Link {
    bytes trace_id = 1;
    bytes span_id = 2;
    string trace_state = 3;
    repeated KeyValue attributes = 4;
    uint32 dropped_attributes_count = 5;
    fixed32 flags = 6;
  }
  repeated Link links = 13;
  uint32 dropped_links_count = 14;
  Status status = 15;
}
message Status { string message = 2; int32 code = 3; }

message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
// google.rpc.Status, the body of an OTLP/HTTP error response.
message RpcStatus { int32 code = 1; string message = 2; }
`;

let types: { request: protobuf.Type; response: protobuf.Type; status: protobuf.Type } | undefined;

function otlpTypes() {
  if (!types) {
    const { root } = protobuf.parse(OTLP_TRACE_PROTO, { keepCase: true });
    types = {
      request: root.lookupType("opentelemetry.proto.ExportTraceServiceRequest"),
      response: root.lookupType("opentelemetry.proto.ExportTraceServiceResponse"),
      status: root.lookupType("opentelemetry.proto.RpcStatus"),
    };
  }
  return types;
}

/**
 * Decodes an ExportTraceServiceRequest into plain objects with snake_case fields, 64-bit integers
 * as decimal strings and bytes as Uint8Array. Throws on malformed input.
 */
export function decodeExportRequest(body: Uint8Array): unknown {
  const { request } = otlpTypes();
  const message = request.decode(body);
  return request.toObject(message, { longs: String, enums: Number, defaults: false, oneofs: false });
}

/** An ExportTraceServiceResponse, with `partial_success` only when spans were rejected. */
export function encodeExportResponse(rejected?: { spans: number; message: string }): Uint8Array {
  const { response } = otlpTypes();
  const payload = rejected ? { partial_success: { rejected_spans: rejected.spans, error_message: rejected.message } } : {};
  return response.encode(response.fromObject(payload)).finish();
}

/** A google.rpc.Status (code from google.rpc.Code, e.g. 3 INVALID_ARGUMENT) for error responses. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  const { status } = otlpTypes();
  return status.encode(status.fromObject({ code, message })).finish();
}

/** Encodes an ExportTraceServiceRequest from snake_case plain objects (bytes as Uint8Array); for load generators. */
export function encodeExportRequest(payload: object): Uint8Array {
  const { request } = otlpTypes();
  return request.encode(request.fromObject(payload)).finish();
}
