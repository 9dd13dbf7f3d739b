import "server-only";
import { Readable } from "node:stream";
import type { ClickHouseClient } from "@clickhouse/client";

/**
 * How the recorder writes rows and tells a poisoned row from an unavailable ClickHouse. Rows are
 * carried as the JSON text they were spooled as (one serialisation per row) and sent as one
 * JSONEachRow body. An insert is atomic: one row ClickHouse cannot parse fails the whole batch,
 * so a refused batch is bisected until the refused rows stand alone (`isolate`).
 */
export const LOG_TABLES = ["inferences", "model_calls", "inference_cache"] as const;
export type LogTable = (typeof LOG_TABLES)[number];

export interface LogEntry {
  table: LogTable;
  /** What `existingIds` looks up (see `entryId`); "" for tables where a second copy is harmless. */
  id: string;
  json: string;
}

/** Inserts rows given as JSON objects' text, in one JSONEachRow body. */
export async function insertJson(client: ClickHouseClient, table: LogTable, jsons: readonly string[]): Promise<void> {
  if (jsons.length === 0) return;
  // `table` is one of LOG_TABLES, never user text.
  const result = await client.exec({
    query: `INSERT INTO ${table} FORMAT JSONEachRow`,
    values: Readable.from([Buffer.from(jsons.join("\n"), "utf8")], { objectMode: false }),
  });
  result.stream.resume();
  await new Promise<void>((resolve) => {
    if (result.stream.readableEnded || result.stream.destroyed) return resolve();
    result.stream
      .once("end", resolve)
      .once("close", resolve)
      .once("error", () => resolve());
  });
}

/** ClickHouse answered with an exception (`Code: N. DB::Exception…`), as opposed to no answer at all. */
export function clickHouseCode(error: unknown): { code: number; type: string } | undefined {
  const e = error as { code?: unknown; type?: unknown } | null;
  if (!e || typeof e !== "object" || typeof e.code !== "string" || !/^\d+$/.test(e.code)) return undefined;
  return { code: Number(e.code), type: typeof e.type === "string" ? e.type : "" };
}

/**
 * Errors about the data itself: parsing and type conversion (ClickHouse's error codes). A row that
 * fails with one of these will fail again however often it is retried.
 */
const DATA_ERRORS = new Set([
  6, // CANNOT_PARSE_TEXT
  25, // CANNOT_PARSE_ESCAPE_SEQUENCE (a lone surrogate)
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  131, // TOO_LARGE_STRING_SIZE
  321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
  376, // CANNOT_PARSE_UUID
  407, // DECIMAL_OVERFLOW
  467, // CANNOT_PARSE_BOOL
]);

export function isDataError(error: unknown): boolean {
  const code = clickHouseCode(error);
  return code !== undefined && DATA_ERRORS.has(code.code);
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** ClickHouse is unreachable or refuses every row: nothing can be learnt about single rows now. */
export class LogOutage extends Error {
  constructor(
    readonly error: unknown,
    /** Rows written before the outage showed, and rows found poisoned: both are settled. */
    readonly written: LogEntry[],
    readonly rejected: Rejected[],
  ) {
    super(errorText(error));
  }
}

export interface Rejected {
  entry: LogEntry;
  error: unknown;
}

/**
 * Writes `entries` (one table), isolating rows ClickHouse refuses: a refused batch is split in
 * halves and each half tried, down to single rows. Good rows are written in the same pass; refused
 * single rows are returned. Throws LogOutage when ClickHouse does not answer (network, timeout) or
 * refuses every part for a reason that is not the data (unknown table, too many parts…), since
 * then no row is to blame. About 2·k·log2(n) inserts for k bad rows among n.
 */
export async function isolate(
  client: ClickHouseClient,
  table: LogTable,
  entries: LogEntry[],
): Promise<{ written: LogEntry[]; rejected: Rejected[] }> {
  const written: LogEntry[] = [];
  const rejected: Rejected[] = [];
  const attempt = async (part: LogEntry[]): Promise<unknown> => {
    try {
      await insertJson(
        client,
        table,
        part.map((e) => e.json),
      );
      written.push(...part);
      return undefined;
    } catch (error) {
      if (!clickHouseCode(error)) throw new LogOutage(error, written, rejected);
      return error;
    }
  };
  const split = async (part: LogEntry[], error: unknown): Promise<void> => {
    if (part.length === 1) {
      // Alone and refused: poisoned, unless nothing was ever accepted and the reason is not the data.
      if (!isDataError(error) && written.length === 0) throw new LogOutage(error, written, rejected);
      rejected.push({ entry: part[0]!, error });
      return;
    }
    const mid = part.length >> 1;
    const [a, b] = [part.slice(0, mid), part.slice(mid)];
    const ea = await attempt(a);
    const eb = await attempt(b);
    if (ea && eb && written.length === 0 && !isDataError(ea) && !isDataError(eb)) throw new LogOutage(ea, written, rejected);
    if (ea) await split(a, ea);
    if (eb) await split(b, eb);
  };
  const error = await attempt(entries);
  if (error) await split(entries, error);
  return { written, rejected };
}

/**
 * Ids among `ids` already in `table`: a batch whose insert may have landed (no answer) or that is
 * replayed from a spool is checked first, so it is never written twice. Point lookups on each
 * table's sort key, 1,000 ids per query (they travel in the URL of a server request). Ids are
 * passed as Array(String) and converted in SQL: on chDB, `id IN {ids:Array(UUID)}` against the
 * sort key matched nothing with several ids (checked on chDB 26.7).
 */
export async function existingIds(client: ClickHouseClient, table: LogTable, entries: LogEntry[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (table === "inference_cache") return found;
  // A malformed id cannot be in the table, and would fail the whole lookup.
  const valid = entries.filter((e) => UUIDS.test(e.id));
  for (let i = 0; i < valid.length; i += 1000) {
    const chunk = valid.slice(i, i + 1000);
    let rs;
    if (table === "inferences") {
      // The table itself (not its by-id view, which a crash mid-insert could leave behind), within
      // the rows' time range: partition pruning and the parts' min/max keep the scan small.
      const times = chunk
        .map((e) => timestampOf(e.json))
        .filter((t): t is string => t !== undefined)
        .sort();
      rs = await client.query({
        query:
          "SELECT toString(id) AS id FROM inferences WHERE timestamp >= {from:String} AND timestamp <= {to:String} " +
          "AND id IN (SELECT toUUID(arrayJoin({ids:Array(String)})))",
        query_params: {
          ids: chunk.map((e) => e.id),
          from: times[0] ?? "1970-01-01 00:00:00.000",
          to: times.at(-1) ?? "2106-01-01 00:00:00.000",
        },
        format: "JSONEachRow",
      });
    } else {
      rs = await client.query({
        query:
          "SELECT concat(toString(inference_id), '/', toString(id)) AS id FROM model_calls " +
          "WHERE inference_id IN (SELECT toUUID(arrayJoin({parents:Array(String)})))",
        query_params: { parents: [...new Set(chunk.map((e) => e.id.slice(0, e.id.indexOf("/"))))] },
        format: "JSONEachRow",
      });
    }
    for (const row of await rs.json<{ id: string }>()) found.add(row.id);
  }
  return found;
}

/** The row's `timestamp` ("YYYY-MM-DD hh:mm:ss.sss"): its last top-level key, read without parsing the row. */
function timestampOf(json: string): string | undefined {
  const at = json.lastIndexOf('"timestamp":"');
  const m = at < 0 ? null : /^"timestamp":"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)"/.exec(json.slice(at));
  return m?.[1];
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const UUIDS = new RegExp(`^${UUID}(/${UUID})?$`);

/** The key `existingIds` matches: the inference id, or "inference_id/id" for a model call. */
export function entryId(table: LogTable, row: { id?: string; inference_id?: string }): string {
  if (table === "inferences") return row.id ?? "";
  if (table === "model_calls") return `${row.inference_id ?? ""}/${row.id ?? ""}`;
  return "";
}
