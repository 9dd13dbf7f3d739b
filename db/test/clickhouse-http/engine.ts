import { Session } from "chdb";
import { exceptions, fromEngineError } from "./errors";
import type { QueryRequest } from "./request";
import { isPlainName, stringLiteral, type StatementShape } from "./sql";

export interface QueryResult {
  body: Uint8Array;
  /** The output format: the query's `FORMAT x`, else `default_format`, else TabSeparated. */
  format: string;
  timezone: string;
  summary: Record<string, string>;
}

interface NamedSession {
  session: Session;
  busy: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * Runs HTTP requests on chDB with a server's isolation. chDB keeps one engine per data folder and
 * any number of connections ("sessions") on it, each with its own settings, parameters and current
 * database. A request without `session_id` gets a fresh connection, so nothing it sets (`USE`,
 * `SET`, parameters, temporary tables) outlives it; `session_id` keeps one connection per id.
 * Queries run in parallel up to `maxConcurrent` (further ones wait, as on a loaded server).
 */
export class ChdbEngine {
  private readonly root: Session;
  private readonly named = new Map<string, NamedSession>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  version = "";
  timezone = "UTC";

  private constructor(
    private readonly dataDir: string,
    private readonly maxConcurrent: number,
  ) {
    // Held open for the engine's lifetime: the engine shuts down when its last connection closes.
    this.root = new Session(dataDir);
  }

  static async open(dataDir: string, maxConcurrent = 8): Promise<ChdbEngine> {
    const engine = new ChdbEngine(dataDir, maxConcurrent);
    const [version, timezone] = (await engine.root.queryAsync("SELECT version(), timezone()", { format: "TabSeparated" }))
      .text()
      .trim()
      .split("\t");
    engine.version = version ?? "";
    engine.timezone = timezone ?? "UTC";
    return engine;
  }

  async execute(request: QueryRequest, shape: StatementShape): Promise<QueryResult> {
    if (request.query.trim() === "") throw exceptions.syntax("Empty query");
    if (shape.secondStatementAt !== undefined) {
      const rest = request.query.slice(shape.secondStatementAt, shape.secondStatementAt + 40);
      throw exceptions.syntax(
        `Syntax error (Multi-statements are not allowed): failed at position ${shape.secondStatementAt + 1}: ${rest}`,
      );
    }
    await this.slot();
    try {
      return request.session ? await this.inNamedSession(request, shape) : await this.inFreshSession(request, shape);
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }

  async close(): Promise<void> {
    for (const { session, timer } of this.named.values()) {
      clearTimeout(timer);
      session.close();
    }
    this.named.clear();
    this.root.close();
  }

  private slot(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.running += 1;
        resolve();
      }),
    );
  }

  private async inFreshSession(request: QueryRequest, shape: StatementShape): Promise<QueryResult> {
    const session = new Session(this.dataDir);
    try {
      return await this.query(session, request, shape, [...SERVER_DEFAULTS, ...setupStatements(request)]);
    } finally {
      session.close();
    }
  }

  /** A server applies URL settings, `database` and parameters to the query, not the session: they are undone afterwards. */
  private async inNamedSession(request: QueryRequest, shape: StatementShape): Promise<QueryResult> {
    const { id, timeoutS, check, close } = request.session!;
    let entry = this.named.get(id);
    if (entry?.busy) throw exceptions.sessionLocked(id);
    const created = !entry;
    if (!entry) {
      if (check) throw exceptions.sessionNotFound(id);
      entry = { session: new Session(this.dataDir), busy: true };
      this.named.set(id, entry);
    }
    entry.busy = true;
    clearTimeout(entry.timer);
    const { session } = entry;
    try {
      if (created) await run(session, SERVER_DEFAULTS);
      const restore = await restoreStatements(session, request);
      try {
        await run(session, setupStatements(request));
        return await this.query(session, request, shape);
      } finally {
        await run(session, restore);
      }
    } finally {
      entry.busy = false;
      if (close) {
        this.named.delete(id);
        session.close();
      } else {
        entry.timer = setTimeout(() => {
          if (this.named.get(id) !== entry || entry.busy) return;
          this.named.delete(id);
          session.close();
        }, timeoutS * 1000);
        entry.timer.unref();
      }
    }
  }

  /** Runs the request's statement, after `setup` in the same call (the statement comes last, so its data may follow it). */
  private async query(session: Session, request: QueryRequest, shape: StatementShape, setup: string[] = []): Promise<QueryResult> {
    const format = shape.format ?? request.defaultFormat ?? "TabSeparated";
    const started = process.hrtime.bigint();
    const script = [...setup, request.query].join(";\n");
    const result = await session.queryAsync(script, { format }).catch((error: unknown) => {
      throw fromEngineError(error);
    });
    const elapsed = String(process.hrtime.bigint() - started);
    const body = result.bytes();
    const written = shape.input ? countRows(request.query.slice(shape.input.dataStart), shape.input.format) : 0;
    const writtenBytes = shape.input ? Buffer.byteLength(request.query) - shape.input.dataStart : 0;
    const rows = shape.insert ? 0 : result.rowsRead;
    return {
      body,
      format,
      timezone: request.settings.findLast(([n]) => n === "session_timezone")?.[1] || this.timezone,
      summary: {
        read_rows: String(shape.insert ? written : rows),
        read_bytes: String(shape.insert ? writtenBytes : result.bytesRead),
        written_rows: String(written),
        written_bytes: String(writtenBytes),
        total_rows_to_read: "0",
        result_rows: String(rows),
        result_bytes: String(shape.insert ? 0 : result.bytesRead),
        elapsed_ns: elapsed,
      },
    };
  }
}

async function run(session: Session, statements: string[]): Promise<void> {
  if (statements.length === 0) return;
  await session.queryAsync(statements.join(";\n"), { format: "TabSeparated" }).catch((error: unknown) => {
    throw fromEngineError(error);
  });
}

/**
 * Where chDB (clickhouse-local) changes a setting's default, the server's default: no query without
 * SELECT (`implicit_select`), no introspection functions unless allowed.
 */
const SERVER_DEFAULTS = ["SET implicit_select = 0", "SET allow_introspection_functions = 0"];

/** `USE`, then the settings and parameters, as `SET` statements on the request's connection. */
function setupStatements(request: QueryRequest): string[] {
  const statements: string[] = [];
  if (request.database) statements.push(`USE ${quoteName(request.database)}`);
  // A server makes GET (and HEAD) requests read-only, unless the user's profile already is.
  if ((request.method === "GET" || request.method === "HEAD") && !request.settings.some(([n]) => n === "readonly")) {
    statements.push("SET readonly = 2");
  }
  for (const [name, value] of request.settings) {
    if (!isPlainName(name)) throw fromEngineError(`Code: 115. DB::Exception: Unknown setting '${name}'. (UNKNOWN_SETTING)`);
    statements.push(`SET ${name} = ${stringLiteral(value)}`);
  }
  for (const [name, value] of request.params) statements.push(`SET ${quoteName(`param_${name}`)} = ${stringLiteral(value)}`);
  return statements;
}

/** Statements that put back the named session's database and the settings this request changes. */
async function restoreStatements(session: Session, request: QueryRequest): Promise<string[]> {
  const names = [...new Set(request.settings.map(([n]) => n).filter(isPlainName))];
  if (request.method === "GET" || request.method === "HEAD") names.push("readonly");
  const list = names.map(stringLiteral).join(", ") || "''";
  const text = (
    await session.queryAsync(
      `SELECT currentDatabase(), groupArray((name, value, changed)) FROM system.settings WHERE name IN (${list}) FORMAT JSONCompact`,
      { format: "JSONCompact" },
    )
  ).text();
  const [database, settings] = (JSON.parse(text) as { data: [string, [string, string, number][]][] }).data[0]!;
  const statements = settings.map(([name, value, changed]) => `SET ${name} = ${changed ? stringLiteral(value) : "DEFAULT"}`);
  if (request.database) statements.push(`USE ${quoteName(database)}`);
  return statements;
}

const quoteName = (name: string) => `\`${name.replace(/\\/g, "\\\\").replace(/`/g, "\\`")}\``;

/** Rows in a line-per-row input (the formats @clickhouse/client inserts with); header lines excluded. */
function countRows(data: string, format: string): number {
  const lines = data.split("\n").filter((line) => line.trim() !== "").length;
  const headers = /WithNamesAndTypes$/i.test(format) ? 2 : /WithNames$/i.test(format) ? 1 : 0;
  return Math.max(0, lines - headers);
}
