import type { LabelField } from "./schemas";

/**
 * Label fields against the metrics declared in the gateway's config: a field that names a
 * declared metric must write the kind that metric expects (boolean ↔ boolean, score ↔ float),
 * so its labels land in the variants and A/B pages. Undeclared names are allowed (the labels are
 * still stored as feedback under that name); categories, comments and corrections are not numeric
 * metrics and must not reuse a declared name.
 */
export interface DeclaredMetric {
  type: "boolean" | "float";
  /** Labels are given per inference, so an episode-level metric cannot take them. */
  level?: "inference" | "episode";
}

export function fieldMetricProblems(fields: LabelField[], declared: ReadonlyMap<string, DeclaredMetric>): string[] {
  const problems: string[] = [];
  for (const field of fields) {
    const metric = declared.get(field.metric);
    if (!metric) continue;
    const wants = field.type === "boolean" ? "boolean" : field.type === "score" ? "float" : undefined;
    if (metric.level === "episode") {
      problems.push(
        `Field "${field.key}" writes metric "${field.metric}", which the gateway declares per episode; labels are given per inference, so choose another metric name`,
      );
    } else if (wants !== metric.type) {
      problems.push(
        `Field "${field.key}" (${field.type}) writes metric "${field.metric}", which the gateway declares as ${metric.type}; ` +
          (metric.type === "boolean" ? "use a boolean field" : "use a score field") +
          " or another metric name",
      );
    }
  }
  return problems;
}
