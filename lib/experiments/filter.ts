import { MlflowError } from "@/lib/stores/mlflow-errors";
import { parseRunFilter, type RunClause } from "@/lib/tracking/run-filter";
import type { ColumnsReply } from "./schemas";

/**
 * The runs filter box: the same parser and binder as runs/search (so the box and the API accept
 * exactly the same text), plus hints a person can act on: a fix for the usual slips (`==`, `OR`,
 * unquoted strings) and "did you mean" for keys not logged in the experiments shown.
 */
export type FilterCheck = { ok: true; clauses: RunClause[]; warnings: string[] } | { ok: false; message: string; hint?: string };

const EXAMPLE = "metrics.accuracy > 0.9 and params.model = 'gpt' and attributes.status = 'FINISHED'";

function hintFor(text: string, message: string): string | undefined {
  if (/\s(or|OR|Or)\s/.test(text)) return "OR is not supported: combine conditions with AND, or use IN ('a', 'b') for one column.";
  if (/==/.test(text)) return "Use a single = to compare, e.g. params.model = 'gpt'.";
  if (/not quoted/.test(message) || /Expected a quoted string/.test(message))
    return "Quote text values: params.model = 'gpt' (single or double quotes).";
  if (/Expected numeric value/.test(message)) return "Metrics compare to numbers, without quotes: metrics.loss < 0.5.";
  if (/Invalid entity type/.test(message)) return "Start each column with metrics., params., tags., attributes. or datasets.";
  if (/Invalid attribute key/.test(message)) return "Attributes are run_name, status, user_id, run_id, start_time, end_time, artifact_uri.";
  if (/unterminated/.test(message)) return "Close the quote you opened.";
  return `Example: ${EXAMPLE}`;
}

/** Levenshtein distance, small strings only (keys), for suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

export function closest(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(key.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

const ENTITY = { metric: "metrics", param: "params", tag: "tags" } as const;

export function checkRunFilter(text: string, known?: ColumnsReply): FilterCheck {
  let clauses: RunClause[];
  try {
    clauses = parseRunFilter(text);
  } catch (error) {
    if (!(error instanceof MlflowError)) throw error;
    return { ok: false, message: error.message, hint: hintFor(text, error.message) };
  }
  const warnings: string[] = [];
  if (known) {
    for (const clause of clauses) {
      if (clause.kind !== "metric" && clause.kind !== "param" && clause.kind !== "tag") continue;
      const keys = clause.kind === "metric" ? known.metrics : clause.kind === "param" ? known.params : known.tags;
      if (keys.includes(clause.key)) continue;
      const guess = closest(clause.key, keys);
      const name = `${ENTITY[clause.kind]}.${clause.key}`;
      warnings.push(
        guess
          ? `No run here logs ${name}; did you mean ${ENTITY[clause.kind]}.${guess}?`
          : `No run here logs ${name}, so nothing will match.`,
      );
    }
  }
  return { ok: true, clauses, warnings };
}
