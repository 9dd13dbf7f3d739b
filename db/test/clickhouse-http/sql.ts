/**
 * The little SQL reading a ClickHouse server does before it runs a query, which chDB (a library
 * that accepts a script of several statements) does not: one statement per request, the output
 * format named by a trailing `FORMAT x`, and where an INSERT's inline data begins.
 */

interface Token {
  /** Upper-cased word, or the punctuation character. */
  text: string;
  kind: "word" | "punct" | "string";
  start: number;
  end: number;
}

/** Tokens of `sql` up to `stop(tokens)` returning true; strings, quoted names and comments are skipped whole. */
function tokenize(sql: string, stop: (tokens: Token[]) => boolean = () => false): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length && !stop(tokens)) {
    const c = sql[i]!;
    if (/\s/.test(c)) i += 1;
    else if (c === "-" && sql[i + 1] === "-") i = lineEnd(sql, i);
    else if (c === "#" && (sql[i + 1] === " " || sql[i + 1] === "!")) i = lineEnd(sql, i);
    else if (c === "/" && sql[i + 1] === "*") {
      const close = sql.indexOf("*/", i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (c === "'" || c === '"' || c === "`") {
      const end = quotedEnd(sql, i, c);
      tokens.push({ text: sql.slice(i, end), kind: c === "'" ? "string" : "word", start: i, end });
      i = end;
    } else if (/[\p{L}\p{N}_$]/u.test(c)) {
      let end = i + 1;
      while (end < sql.length && /[\p{L}\p{N}_$.]/u.test(sql[end]!)) end += 1;
      tokens.push({ text: sql.slice(i, end).toUpperCase(), kind: "word", start: i, end });
      i = end;
    } else {
      tokens.push({ text: c, kind: "punct", start: i, end: i + 1 });
      i += 1;
    }
  }
  return tokens;
}

function lineEnd(sql: string, from: number): number {
  const nl = sql.indexOf("\n", from);
  return nl < 0 ? sql.length : nl + 1;
}

/** End of a quoted literal: backslash escapes and doubled quotes, as ClickHouse reads them. */
function quotedEnd(sql: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < sql.length) {
    if (sql[i] === "\\") i += 2;
    else if (sql[i] === quote && sql[i + 1] === quote) i += 2;
    else if (sql[i] === quote) return i + 1;
    else i += 1;
  }
  return sql.length;
}

export interface StatementShape {
  insert: boolean;
  /** An INSERT's `FORMAT x` and where its inline data starts. */
  input?: { format: string; dataStart: number };
  /** The output format a trailing `FORMAT x` names (not an INSERT's input format). */
  format?: string;
  /** Set when text follows the first top-level `;`: a server refuses several statements. */
  secondStatementAt?: number;
}

/**
 * Reads the statement's shape. An INSERT is read only up to its `FORMAT x` or `VALUES`, where its
 * data starts; anything else is read whole.
 */
export function statementShape(sql: string): StatementShape {
  const first = tokenize(sql, (t) => t.length > 0)[0];
  const insert = first?.text === "INSERT";
  const tokens = tokenize(sql, (t) => {
    const last = t.at(-1);
    if (!last) return false;
    if (insert) return last.text === "VALUES" || (t.at(-2)?.text === "FORMAT" && last.kind === "word");
    return false;
  });
  const last = tokens.at(-1);
  const input =
    insert && last && tokens.at(-2)?.text === "FORMAT" ? { format: sql.slice(last.start, last.end), dataStart: last.end } : undefined;
  let depth = 0;
  let format: string | undefined;
  for (let n = 0; n < tokens.length; n++) {
    const token = tokens[n]!;
    if (token.text === "(" || token.text === "[") depth += 1;
    else if (token.text === ")" || token.text === "]") depth = Math.max(0, depth - 1);
    else if (depth === 0 && token.text === ";") {
      const rest = tokens.slice(n + 1).filter((t) => t.text !== ";");
      if (rest.length > 0) return { insert, input, format, secondStatementAt: rest[0]!.start };
      break;
    } else if (depth === 0 && !insert && token.text === "FORMAT" && tokens[n + 1]?.kind === "word") {
      format = sql.slice(tokens[n + 1]!.start, tokens[n + 1]!.end).replace(/^[`"]|[`"]$/g, "");
    }
  }
  return { insert, input, format };
}

/** A ClickHouse string literal holding `value` exactly (for `SET name = '…'`). */
export function stringLiteral(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** Setting and parameter names a SET statement can carry without quoting. */
export const isPlainName = (name: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
