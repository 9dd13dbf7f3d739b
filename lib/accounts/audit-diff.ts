import { diffLines } from "diff";

export interface DiffLine {
  kind: "added" | "removed" | "same";
  text: string;
}

/** Pretty JSON with keys sorted, so two states that differ only in key order show no change. */
export function prettyJson(value: unknown): string {
  if (value === undefined || value === null) return "";
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

/** An audit entry's before → after, line by line (a creation is all added, a deletion all removed). */
export function auditDiff(before: unknown, after: unknown): DiffLine[] {
  const out: DiffLine[] = [];
  for (const part of diffLines(prettyJson(before), prettyJson(after))) {
    const kind = part.added ? "added" : part.removed ? "removed" : "same";
    for (const text of part.value.replace(/\n$/, "").split("\n")) out.push({ kind, text });
  }
  return out.filter((line, i, all) => !(line.text === "" && all.length === 1));
}
