import type { FunctionRetention, RetentionConfig } from "./config";

/**
 * ClickHouse TTL clauses from the retention config, written the way ClickHouse prints them back
 * (`toIntervalDay(n)`), so a table whose SHOW CREATE TABLE already holds the clause is left alone.
 * Per-function rules come first (`… WHERE function_name = 'f'`), then the default for the rest.
 */

export interface TableTtl {
  table: string;
  /** The TTL expression list, or null for no TTL. */
  clause: string | null;
}

interface ConfigShape {
  retention: RetentionConfig;
  functions: Record<string, { retention?: FunctionRetention }>;
}

type Kind = "inferences_days" | "model_calls_days" | "feedback_days";

/** Function names are config names (letters, digits, _ . -); quoted as a ClickHouse string literal all the same. */
const literal = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

function clauseFor(config: ConfigShape, kind: Kind, time: string, perFunction: boolean): string | null {
  const fallback = config.retention[kind];
  const rules: string[] = [];
  if (perFunction) {
    const byFunction = Object.entries(config.functions)
      .filter(([, f]) => f.retention?.[kind] !== undefined && f.retention[kind] !== fallback)
      .sort(([a], [b]) => a.localeCompare(b));
    if (fallback === undefined && byFunction.length) {
      // Without a default, only the named functions expire.
      for (const [name, f] of byFunction)
        rules.push(`${time} + toIntervalDay(${f.retention![kind]}) WHERE function_name = ${literal(name)}`);
      return rules.join(", ");
    }
    for (const [name, f] of byFunction) rules.push(`${time} + toIntervalDay(${f.retention![kind]}) WHERE function_name = ${literal(name)}`);
  }
  if (fallback === undefined) return null;
  // The default excludes functions with a rule of their own (TTL rules all apply; the shortest would win).
  const own = perFunction
    ? Object.entries(config.functions)
        .filter(([, f]) => f.retention?.[kind] !== undefined && f.retention[kind] !== fallback)
        .map(([n]) => n)
    : [];
  rules.push(
    own.length
      ? `${time} + toIntervalDay(${fallback}) WHERE function_name NOT IN (${own.sort().map(literal).join(", ")})`
      : `${time} + toIntervalDay(${fallback})`,
  );
  return rules.join(", ");
}

/** The longest retention of a kind (lookup tables without a function column keep rows that long). */
function longest(config: ConfigShape, kind: Kind): number | undefined {
  const fallback = config.retention[kind];
  if (fallback === undefined) return undefined;
  return Math.max(fallback, ...Object.values(config.functions).map((f) => f.retention?.[kind] ?? 0));
}

export function desiredTtls(config: ConfigShape): TableTtl[] {
  const ts = "toDateTime(timestamp)";
  const inferencesMax = longest(config, "inferences_days");
  const feedbackMax = longest(config, "feedback_days");
  const traces = config.retention.traces_days;
  return [
    { table: "inferences", clause: clauseFor(config, "inferences_days", ts, true) },
    { table: "inference_by_id", clause: clauseFor(config, "inferences_days", ts, true) },
    { table: "inference_by_episode", clause: clauseFor(config, "inferences_days", ts, true) },
    { table: "inference_by_trace", clause: inferencesMax === undefined ? null : `${ts} + toIntervalDay(${inferencesMax})` },
    { table: "model_calls", clause: clauseFor(config, "model_calls_days", ts, true) },
    { table: "feedback", clause: clauseFor(config, "feedback_days", ts, true) },
    { table: "feedback_by_target", clause: feedbackMax === undefined ? null : `${ts} + toIntervalDay(${feedbackMax})` },
    { table: "spans", clause: traces === undefined ? null : `toDateTime(start_time) + toIntervalDay(${traces})` },
    { table: "traces", clause: traces === undefined ? null : `toDateTime(start_time) + toIntervalDay(${traces})` },
  ];
}
