import { invalidParameter } from "@/lib/stores/mlflow-errors";

/**
 * Syntax of MLflow's search DSL, shared by runs, experiments, registered models and model versions:
 *
 *   filter     := comparison (AND comparison)*
 *   comparison := identifier comparator value
 *   identifier := word | "quoted" | `quoted` | word "." (key | "quoted" | `quoted`)
 *   comparator := = | != | < | <= | > | >= | LIKE | ILIKE | IN | NOT IN   (any other operator is kept
 *                 so that each surface rejects it with MLflow's message)
 *   value      := 'string' | "string" | number | ( 'a', 'b', … ) | bareword
 *
 * The parser only builds this syntax tree; each surface binds it (lib/tracking/run-filter.ts, …)
 * to the entities and comparators it allows, and compiles that to parameterised SQL.
 */
export interface Identifier {
  /** The part before the first dot (`metrics`, `tags`…), or undefined for a bare attribute. */
  entity?: string;
  key: string;
  text: string;
}

export type FilterValue =
  | { kind: "string"; value: string; text: string }
  | { kind: "number"; value: number; text: string }
  | { kind: "list"; values: string[]; text: string }
  | { kind: "bare"; text: string };

export interface Comparison {
  identifier: Identifier;
  /** Upper-cased operator as written: `=`, `LIKE`, `NOT IN`, or an invalid one such as `==`. */
  comparator: string;
  value: FilterValue;
  text: string;
}

export interface OrderBy {
  identifier: Identifier;
  ascending: boolean;
}

const WORD = /[A-Za-z0-9_]/;
const OPERATOR = /[=!<>]/;
const KEY_STOP = /[\s=!<>(),'"`]/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/;

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  /** A method, not a getter: TypeScript would narrow a getter's value across cursor moves. */
  char(): string {
    return this.text[this.pos] ?? "";
  }
  eof(): boolean {
    return this.pos >= this.text.length;
  }
  skipSpace(): void {
    while (!this.eof() && /\s/.test(this.char())) this.pos++;
  }
  readWhile(test: (c: string) => boolean): string {
    const start = this.pos;
    while (!this.eof() && test(this.char())) this.pos++;
    return this.text.slice(start, this.pos);
  }
  /** The next word if it is `word` (case-insensitive) and ends there; consumes it. */
  keyword(word: string): boolean {
    const candidate = this.text.slice(this.pos, this.pos + word.length);
    const after = this.text[this.pos + word.length] ?? "";
    if (candidate.toUpperCase() !== word || WORD.test(after)) return false;
    this.pos += word.length;
    return true;
  }
  rest(): string {
    return this.text.slice(this.pos).trim();
  }
}

function invalidClause(text: string) {
  return invalidParameter(`Invalid clause(s) in filter string: '${text}'`);
}

/** Reads a quoted string; a doubled quote or a backslash before the quote escapes it. */
function readQuoted(c: Cursor, context: string): string {
  const quote = c.char();
  c.pos++;
  let out = "";
  while (!c.eof()) {
    const ch = c.char();
    if (ch === "\\" && c.text[c.pos + 1] === quote) {
      out += quote;
      c.pos += 2;
    } else if (ch === quote) {
      if (c.text[c.pos + 1] === quote) {
        out += quote;
        c.pos += 2;
      } else {
        c.pos++;
        return out;
      }
    } else {
      out += ch;
      c.pos++;
    }
  }
  throw invalidParameter(`Invalid filter '${context}'. Could not be parsed: unterminated ${quote}quoted${quote} string.`);
}

function parseIdentifier(c: Cursor): Identifier {
  c.skipSpace();
  const start = c.pos;
  if (c.char() === '"' || c.char() === "`") {
    const key = readQuoted(c, c.text);
    return { key, text: c.text.slice(start, c.pos) };
  }
  const word = c.readWhile((ch) => WORD.test(ch));
  if (!word) throw invalidClause(c.rest());
  if (c.char() !== ".") return { key: word, text: word };
  c.pos++;
  let key: string;
  if (c.char() === '"' || c.char() === "`") key = readQuoted(c, c.text);
  else key = c.readWhile((ch) => !KEY_STOP.test(ch));
  if (!key) {
    throw invalidParameter(
      `Invalid identifier '${c.text.slice(start, c.pos)}'. Columns should be specified as 'attribute.<key>', ` +
        "'metric.<key>', 'tag.<key>', 'dataset.<key>', or 'param.'.",
    );
  }
  return { entity: word, key, text: c.text.slice(start, c.pos) };
}

function parseComparator(c: Cursor, clauseStart: number): string {
  c.skipSpace();
  if (OPERATOR.test(c.char())) return c.readWhile((ch) => OPERATOR.test(ch));
  for (const word of ["LIKE", "ILIKE", "IN"]) if (c.keyword(word)) return word;
  if (c.keyword("NOT")) {
    c.skipSpace();
    if (c.keyword("IN")) return "NOT IN";
  }
  throw invalidParameter(`Invalid comparison clause. Expected comparison found '${c.rest()}' in '${c.text.slice(clauseStart).trim()}'`);
}

function parseList(c: Cursor): FilterValue {
  const start = c.pos;
  c.pos++;
  const values: string[] = [];
  for (;;) {
    c.skipSpace();
    if (c.char() === ")" && values.length === 0) {
      c.pos++;
      throw invalidParameter("While parsing a list in the query, expected a non-empty list of string values, but got empty list");
    }
    if (c.char() !== "'" && c.char() !== '"') {
      const tail = c.text.slice(start);
      throw invalidParameter(
        `While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ${tail}`,
      );
    }
    values.push(readQuoted(c, c.text));
    c.skipSpace();
    if (c.char() === ",") {
      c.pos++;
      continue;
    }
    if (c.char() === ")") {
      c.pos++;
      return { kind: "list", values, text: c.text.slice(start, c.pos) };
    }
    throw invalidParameter("While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.");
  }
}

function parseValue(c: Cursor): FilterValue {
  c.skipSpace();
  const start = c.pos;
  if (c.char() === "'" || c.char() === '"') {
    const value = readQuoted(c, c.text);
    return { kind: "string", value, text: c.text.slice(start, c.pos) };
  }
  if (c.char() === "(") return parseList(c);
  const number = NUMBER.exec(c.text.slice(c.pos));
  if (number && !WORD.test(c.text[c.pos + number[0].length] ?? "")) {
    c.pos += number[0].length;
    return { kind: "number", value: Number(number[0]), text: number[0] };
  }
  const bare = c.readWhile((ch) => !/[\s()]/.test(ch));
  if (!bare) throw invalidClause(c.rest());
  return { kind: "bare", text: bare };
}

/** Parses a filter string into comparisons joined by AND; an empty filter has none. */
export function parseFilter(text: string | undefined | null): Comparison[] {
  if (!text || !text.trim()) return [];
  const c = new Cursor(text);
  const out: Comparison[] = [];
  for (;;) {
    c.skipSpace();
    const start = c.pos;
    const identifier = parseIdentifier(c);
    const comparator = parseComparator(c, start).toUpperCase();
    const value = parseValue(c);
    out.push({ identifier, comparator, value, text: c.text.slice(start, c.pos) });
    c.skipSpace();
    if (c.eof()) return out;
    if (!c.keyword("AND")) throw invalidClause(c.rest());
    c.skipSpace();
    if (c.eof()) throw invalidClause("AND");
  }
}

/** Parses one order_by entry: an identifier and an optional ASC or DESC (ASC by default). */
export function parseOrderBy(text: string): OrderBy {
  const c = new Cursor(text);
  const fail = () => invalidParameter(`Invalid order_by clause '${text}'. Could not be parsed.`);
  let identifier: Identifier;
  try {
    identifier = parseIdentifier(c);
  } catch {
    throw fail();
  }
  c.skipSpace();
  let ascending = true;
  if (!c.eof()) {
    const word = c.readWhile((ch) => WORD.test(ch)).toLowerCase();
    if (word !== "asc" && word !== "desc") {
      throw word ? invalidParameter(`Invalid ordering key in order_by clause '${text}'.`) : fail();
    }
    ascending = word === "asc";
    c.skipSpace();
    if (!c.eof()) throw fail();
  }
  return { identifier, ascending };
}
