/**
 * Exceptions as a ClickHouse server answers them over HTTP: a status from the exception's name
 * (ClickHouse's src/Server/HTTP/exceptionCodeToHTTPStatus.cpp), the code in
 * `X-ClickHouse-Exception-Code`, and `Code: N. DB::Exception: message. (NAME) (version V)` as the body.
 */
export class ServerException extends Error {
  constructor(
    readonly code: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const BAD_REQUEST = new Set([
  "BAD_ARGUMENTS",
  "CANNOT_COMPILE_REGEXP",
  "CANNOT_PARSE_TEXT",
  "CANNOT_PARSE_ESCAPE_SEQUENCE",
  "CANNOT_PARSE_QUOTED_STRING",
  "CANNOT_PARSE_DATE",
  "CANNOT_PARSE_DATETIME",
  "CANNOT_PARSE_NUMBER",
  "CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING",
  "CANNOT_PARSE_IPV4",
  "CANNOT_PARSE_IPV6",
  "CANNOT_PARSE_INPUT_ASSERTION_FAILED",
  "CANNOT_PARSE_UUID",
  "DUPLICATE_COLUMN",
  "ILLEGAL_COLUMN",
  "UNKNOWN_ELEMENT_IN_AST",
  "UNKNOWN_TYPE_OF_AST_NODE",
  "THERE_IS_NO_COLUMN",
  "TOO_DEEP_AST",
  "TOO_BIG_AST",
  "UNEXPECTED_AST_STRUCTURE",
  "SYNTAX_ERROR",
  "INCORRECT_DATA",
  "TYPE_MISMATCH",
  "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE",
]);

const NOT_FOUND = new Set([
  "UNKNOWN_TABLE",
  "UNKNOWN_FUNCTION",
  "UNKNOWN_IDENTIFIER",
  "UNKNOWN_TYPE",
  "UNKNOWN_STORAGE",
  "UNKNOWN_DATABASE",
  "UNKNOWN_SETTING",
  "UNKNOWN_DIRECTION_OF_SORTING",
  "UNKNOWN_AGGREGATE_FUNCTION",
  "UNKNOWN_FORMAT",
  "UNKNOWN_DATABASE_ENGINE",
  "UNKNOWN_TYPE_OF_QUERY",
  "UNKNOWN_ROLE",
]);

const OTHER: Record<string, number> = {
  REQUIRED_PASSWORD: 401,
  UNKNOWN_USER: 403,
  WRONG_PASSWORD: 403,
  AUTHENTICATION_FAILED: 403,
  SET_NON_GRANTED_ROLE: 403,
  ACCESS_DENIED: 403,
  QUERY_IS_TOO_LARGE: 413,
  NOT_IMPLEMENTED: 501,
  SOCKET_TIMEOUT: 503,
  CANNOT_OPEN_FILE: 503,
  CANNOT_SCHEDULE_TASK: 503,
  HTTP_LENGTH_REQUIRED: 411,
  TIMEOUT_EXCEEDED: 408,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

export function httpStatusFor(type: string): number {
  if (BAD_REQUEST.has(type)) return 400;
  if (NOT_FOUND.has(type)) return 404;
  return OTHER[type] ?? 500;
}

// The innermost `Code: N. DB::Exception: … (NAME)`, as @clickhouse/client-common reads it.
const ENGINE_ERROR = /(?:Code|Error): (?<code>\d+).*Exception: (?<message>.+?)\((?<type>(?=[A-Z0-9_]*[A-Z]{3})[A-Z0-9_]+)\)/s;

/** chDB's error (`Code: N. DB::Exception: …`) as a server exception; anything else is a LOGICAL_ERROR. */
export function fromEngineError(error: unknown): ServerException {
  if (error instanceof ServerException) return error;
  const text = error instanceof Error ? error.message : String(error);
  const groups = ENGINE_ERROR.exec(text)?.groups;
  if (!groups) return new ServerException(1001, "STD_EXCEPTION", text);
  return new ServerException(Number(groups.code), groups.type!, groups.message!.trim().replace(/\.$/, ""));
}

/** The response body a server writes for `error`. */
export function exceptionText(error: ServerException, version: string): string {
  return `Code: ${error.code}. DB::Exception: ${error.message}. (${error.type}) (version ${version})\n`;
}

export const exceptions = {
  syntax: (message: string) => new ServerException(62, "SYNTAX_ERROR", message),
  authentication: (message: string) => new ServerException(516, "AUTHENTICATION_FAILED", message),
  notImplemented: (message: string) => new ServerException(48, "NOT_IMPLEMENTED", message),
  sessionNotFound: (id: string) => new ServerException(372, "SESSION_NOT_FOUND", `Session ${id} not found`),
  sessionLocked: (id: string) => new ServerException(373, "SESSION_IS_LOCKED", `Session ${id} is locked by a concurrent client`),
  sameQueryId: (id: string) =>
    new ServerException(216, "QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING", `Query with id = ${id} is already running`),
  badArguments: (message: string) => new ServerException(36, "BAD_ARGUMENTS", message),
};
