/**
 * The fuzz suite's corpus: malformed values (raw JSON tokens for bodies, raw percent-encoded text
 * for query strings and path segments), whole malformed bodies, and a plausible request built from
 * a zod schema so that each field can be broken one at a time while the rest stays valid.
 */

const DEEP_ARRAY = "[".repeat(100_000) + "]".repeat(100_000);
const DEEP_OBJECT = '{"a":'.repeat(30_000) + "1" + "}".repeat(30_000);
const HUGE_TEXT = "n".repeat(300_000);
/** 5,000 characters that do not compress (a fixed pseudo-random sequence): bigger than a btree row. */
const NOISE = (() => {
  let x = 12345;
  return Array.from({ length: 5_000 }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return String.fromCharCode(33 + (x % 94));
  }).join("");
})();

/** Values put in place of one body field, as raw JSON text. */
export const BODY_VALUES: readonly (readonly [label: string, raw: string])[] = [
  ["null", "null"],
  ["empty array", "[]"],
  ["empty object", "{}"],
  ["nested arrays", "[[[]]]"],
  ["boolean", "true"],
  ["negative", "-1"],
  ["fraction", "1.5"],
  ["unsafe integer", "9223372036854775808"],
  ["unsafe negative integer", "-9223372036854775809"],
  ["1e308", "1e308"],
  ["overflowing number", "1e400"],
  ["empty string", '""'],
  ["NUL", '"\\u0000"'],
  ["NUL inside", '"a\\u0000b"'],
  ["lone high surrogate", '"\\ud800"'],
  ["lone low surrogate", '"x\\udfff"'],
  ["300 KB string", JSON.stringify(HUGE_TEXT)],
  ["5,000 incompressible characters", JSON.stringify(NOISE)],
  ["bad percent-encoding", '"%ZZ"'],
  ["unsafe integer string", '"9223372036854775808"'],
  ["year 99999", '"99999-12-31T00:00:00Z"'],
  ["year 1", '"0001-01-01T00:00:00Z"'],
  ["year 2200", '"2200-01-01T00:00:00Z"'],
  ["100k-deep array", DEEP_ARRAY],
  ["object holding a deep array", `{"k":${DEEP_ARRAY}}`],
  ["object with a NUL key", '{"\\u0000":"v"}'],
  ["object with a lone surrogate", '{"k":"\\ud800","\\udc00":"v"}'],
  ["object with a 300 KB key", `{${JSON.stringify(HUGE_TEXT)}:"v"}`],
  ["array of nulls", "[null]"],
];

/** Whole bodies, sent with `content-type: application/json`. */
export const WHOLE_BODIES: readonly (readonly [label: string, raw: string | Uint8Array])[] = [
  ["empty body", ""],
  ["blank body", "  \n"],
  ["truncated JSON", '{"a":'],
  ["invalid JSON", "{nope}"],
  ["trailing garbage", "{}x"],
  ["null", "null"],
  ["array", "[]"],
  ["array of objects", "[{}]"],
  ["string", '"x"'],
  ["number", "1"],
  ["raw NUL in a string", '{"a":"\u0000"}'],
  ["invalid UTF-8", new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ["byte-order mark", "\ufeff{}"],
  ["100k-deep array", DEEP_ARRAY],
  ["30k-deep object", DEEP_OBJECT],
  ["double-encoded deep array", JSON.stringify(DEEP_ARRAY)],
  ["double-encoded string", JSON.stringify('"x"')],
  ["NUL key", '{"\\u0000":1}'],
  ["lone surrogate key", '{"\\ud800":1}'],
];

/** An over-limit body (21 MB: above every surface's limit), built once and shared. */
export const OVERSIZED_BODY = `{"x":"${"o".repeat(21 * 1024 * 1024)}"}`;

/** Content types other than JSON, sent with a valid JSON body. */
export const CONTENT_TYPES: readonly (string | null)[] = [
  null,
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
];

/** Query-string values, raw (already percent-encoded as a client would send them). */
export const QUERY_VALUES: readonly (readonly [label: string, raw: string])[] = [
  ["empty", ""],
  ["NUL", "%00"],
  ["bad percent-encoding", "%ZZ"],
  ["encoded lone surrogate", "%ED%A0%80"],
  ["300 KB value", HUGE_TEXT],
  ["unsafe integer", "9223372036854775808"],
  ["unsafe negative integer", "-9223372036854775809"],
  ["overflowing number", "1e400"],
  ["NaN", "NaN"],
  ["Infinity", "Infinity"],
  ["negative", "-1"],
  ["max epoch ms + 1", "8640000000000001"],
  ["epoch ms in 2200", "7258118400000"],
  ["year 99999", "99999-12-31T00:00:00Z"],
  ["year 1900", "1900-01-01T00:00:00Z"],
  ["year 2200", "2200-01-01T00:00:00Z"],
  ["JSON array", "%5B%5D"],
  ["JSON object", "%7B%7D"],
];

/** `from`/`to` pairs: a valid short range, but outside the dates ClickHouse can hold. */
export const RANGE_PAIRS: readonly (readonly [from: string, to: string])[] = [
  ["2200-01-01T00:00:00Z", "2200-01-02T00:00:00Z"],
  ["1900-01-01T00:00:00Z", "1900-01-02T00:00:00Z"],
  ["1", "1000"],
  ["7258118400000", "7258204800000"],
  ["8639999999999000", "8640000000000000"],
];

/** Path segment values, raw. */
export const SEGMENT_VALUES: readonly (readonly [label: string, raw: string])[] = [
  ["bad percent-encoding", "%ZZ"],
  ["lone percent", "%"],
  ["encoded percent", "%25"],
  ["double-encoded", "%2541"],
  ["NUL", "%00"],
  ["encoded lone surrogate", "%ED%A0%80"],
  ["overlong UTF-8", "%C0%AF"],
  ["300 KB segment", HUGE_TEXT],
  ["dot-dot", ".."],
  ["encoded slash", "a%2Fb"],
  ["unsafe integer", "9223372036854775808"],
  ["negative", "-1"],
  ["space", "%20"],
  ["right-to-left override", "%E2%80%AE"],
];

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** Seeds by field name: ids and names that exist in the fuzz suite's stores. */
export type Seeds = Readonly<Record<string, unknown>>;

/**
 * A plausible value for a zod schema: the seed named after the field if there is one, else a
 * value of the schema's type. Reads zod 4's public definitions (`_zod.def`).
 */
export function sampleOf(schema: unknown, seeds: Seeds, key = ""): unknown {
  if (key && key in seeds) return seeds[key];
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
    case "nonoptional":
      return sampleOf(def.innerType, seeds, key);
    case "pipe":
      return sampleOf(def.in, seeds, key);
    case "lazy":
      return sampleOf((def.getter as () => unknown)(), seeds, key);
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [name, field] of Object.entries(def.shape as Record<string, unknown>)) {
        const value = sampleOf(field, seeds, name);
        if (value !== undefined) out[name] = value;
      }
      return out;
    }
    case "array":
      return [sampleOf(def.element, seeds, key)];
    case "record":
      return { k: sampleOf(def.valueType, seeds, key) };
    case "union":
      return sampleOf((def.options as unknown[])[0], seeds, key);
    case "intersection":
      return { ...(sampleOf(def.left, seeds, key) as object), ...(sampleOf(def.right, seeds, key) as object) };
    case "enum":
      return Object.values(def.entries as Record<string, unknown>)[0];
    case "literal":
      return (def.values as unknown[])[0];
    case "number":
    case "int":
    case "bigint":
      return 1;
    case "boolean":
      return true;
    case "string":
      if (def.format === "uuid" || def.format === "guid") return "0190b4e8-3c0a-7000-8000-000000000000";
      if (def.format === "datetime") return new Date().toISOString();
      return "x";
    default:
      return "x";
  }
}

export type JsonPath = (string | number)[];

/** Every path inside a JSON value (object keys and array items, nested), the root excluded. */
export function pathsOf(value: unknown, prefix: JsonPath = []): JsonPath[] {
  if (value === null || typeof value !== "object") return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

const HOLE = "__fuzz_hole__";

/** `base` as JSON text with the value at `path` replaced by the raw JSON text `raw`. */
export function withRawAt(base: unknown, path: JsonPath, raw: string): string {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let parent = copy;
  for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = HOLE;
  return JSON.stringify(copy).replace(`"${HOLE}"`, () => raw);
}

export const formatPath = (path: JsonPath) =>
  path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "");

/** A query string from a flat sample: arrays as repeated keys, objects as JSON. */
export function toQuery(sample: Record<string, unknown>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(sample)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      query.append(key, typeof item === "object" ? JSON.stringify(item) : String(item));
    }
  }
  return query;
}
