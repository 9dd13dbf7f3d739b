import { describe, expect, it } from "vitest";
import { OtlpError, spansOfExportRequest } from "./otlp";
import { decodeExportRequest, encodeExportResponse } from "./otlp-proto";

describe("spansOfExportRequest", () => {
  const json = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "svc" } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: "0AF7651916CD43DD8448EB211C80319C",
                spanId: "b7ad6b7169203331",
                name: "root",
                kind: "SPAN_KIND_SERVER",
                startTimeUnixNano: "1700000000000000001",
                endTimeUnixNano: 1700000000000000,
                attributes: [
                  { key: "big", value: { intValue: "9007199254740993" } },
                  { key: "list", value: { arrayValue: { values: [{ boolValue: true }, { doubleValue: 1.5 }] } } },
                  { key: "kv", value: { kvlistValue: { values: [{ key: "a", value: { stringValue: "b" } }] } } },
                ],
                status: { code: "STATUS_CODE_ERROR", message: "boom" },
              },
            ],
          },
        ],
      },
    ],
  };

  it("reads OTLP/JSON: hex ids in any case, enum names, 64-bit strings, nested values", () => {
    const [span] = spansOfExportRequest(json);
    expect(span).toMatchObject({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      parentSpanId: "",
      kind: 2,
      statusCode: 2,
      statusMessage: "boom",
      serviceName: "svc",
      startTimeUnixNano: 1_700_000_000_000_000_001n,
    });
    // An end before the start is clamped to the start.
    expect(span?.endTimeUnixNano).toBe(1_700_000_000_000_000_001n);
    expect(span?.attributes).toEqual({ big: "9007199254740993", list: [true, 1.5], kv: { a: "b" } });
  });

  it("names the field at fault", () => {
    expect(() => spansOfExportRequest({ resourceSpans: {} })).toThrow(OtlpError);
    expect(() =>
      spansOfExportRequest({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "abc", spanId: "b7ad6b7169203331" }] }] }] }),
    ).toThrow(/resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId/);
    expect(() =>
      spansOfExportRequest({
        resourceSpans: [{ scopeSpans: [{ spans: [{ ...json.resourceSpans[0]?.scopeSpans[0]?.spans[0], startTimeUnixNano: -1 }] }] }],
      }),
    ).toThrow(/startTimeUnixNano/);
  });

  it("decodes protobuf and encodes the empty response", () => {
    expect(spansOfExportRequest(decodeExportRequest(new Uint8Array()))).toEqual([]);
    expect(encodeExportResponse()).toHaveLength(0);
    expect(() => decodeExportRequest(new Uint8Array([0x0a, 0xff]))).toThrow();
  });
});
