import type { CreateQueueInput, LabelFieldType } from "./schemas";

/**
 * The new-queue form's state and its conversion to the API's input. Kept pure so the parsing of
 * what people type (tags as key=value lines, comma lists, local times) is unit-tested.
 */

export interface FieldDraft {
  key: string;
  type: LabelFieldType;
  metric: string;
  options: string;
}

export interface QueueDraft {
  name: string;
  description: string;
  functionName: string;
  variant: string;
  /** `datetime-local` values (no zone): read as UTC. */
  from: string;
  to: string;
  tags: string;
  missingFeedback: string;
  sample: boolean;
  sampleSize: string;
  seed: string;
  fields: FieldDraft[];
  overlap: string;
  reviewers: string;
  claimTimeoutSeconds: string;
  blind: boolean;
}

export const emptyDraft = (): QueueDraft => ({
  name: "",
  description: "",
  functionName: "",
  variant: "",
  from: "",
  to: "",
  tags: "",
  missingFeedback: "",
  sample: false,
  sampleSize: "100",
  seed: "0",
  fields: [{ key: "good", type: "boolean", metric: "", options: "" }],
  overlap: "1",
  reviewers: "",
  claimTimeoutSeconds: "600",
  blind: true,
});

const list = (text: string) =>
  text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

const utc = (local: string) => (local ? new Date(`${local.length === 16 ? `${local}:00` : local}Z`).toISOString() : undefined);

/** Tags typed one `key=value` per line (or comma-separated); a line without `=` is reported. */
export function parseTags(text: string): { tags: Record<string, string>; problems: string[] } {
  const tags: Record<string, string> = {};
  const problems: string[] = [];
  for (const entry of list(text)) {
    const eq = entry.indexOf("=");
    if (eq <= 0) problems.push(`"${entry}" is not key=value`);
    else tags[entry.slice(0, eq).trim()] = entry.slice(eq + 1).trim();
  }
  return { tags, problems };
}

const int = (text: string) => (text.trim() === "" ? undefined : Number(text));

export function filterOf(draft: QueueDraft): Pick<CreateQueueInput, "filter" | "sample"> {
  const { tags } = parseTags(draft.tags);
  return {
    filter: {
      ...(draft.functionName.trim() ? { function: draft.functionName.trim() } : {}),
      ...(draft.variant.trim() ? { variant: draft.variant.trim() } : {}),
      ...(draft.from ? { from: utc(draft.from) } : {}),
      ...(draft.to ? { to: utc(draft.to) } : {}),
      ...(Object.keys(tags).length ? { tags } : {}),
      ...(draft.missingFeedback.trim() ? { missingFeedback: draft.missingFeedback.trim() } : {}),
    },
    ...(draft.sample ? { sample: { size: int(draft.sampleSize) ?? 0, seed: int(draft.seed) ?? 0 } } : {}),
  };
}

export function draftToInput(draft: QueueDraft): CreateQueueInput {
  return {
    name: draft.name,
    ...(draft.description.trim() ? { description: draft.description } : {}),
    ...filterOf(draft),
    fields: draft.fields.map((f) => ({
      key: f.key.trim(),
      type: f.type,
      ...(f.metric.trim() && f.type !== "comment" && f.type !== "correction" ? { metric: f.metric.trim() } : {}),
      ...(f.type === "category" ? { options: list(f.options) } : {}),
    })),
    overlap: int(draft.overlap) ?? 1,
    reviewers: list(draft.reviewers),
    claimTimeoutSeconds: int(draft.claimTimeoutSeconds) ?? 600,
    blind: draft.blind,
  };
}

/** What the pickers of the new-queue form need to know of a metric (from GET /api/functions/<name>). */
export interface PickableMetric {
  name: string;
  type: "float" | "boolean";
  level: "inference" | "episode";
}

/**
 * Metrics a label field may write under: the server accepts a declared metric only when its type
 * matches (boolean ↔ boolean, score ↔ float) at inference level; categories and text write their own.
 */
export function metricChoices(metrics: readonly PickableMetric[], type: LabelFieldType): string[] {
  const wanted = type === "boolean" ? "boolean" : type === "score" ? "float" : undefined;
  if (!wanted) return [];
  return metrics
    .filter((m) => m.type === wanted && m.level === "inference")
    .map((m) => m.name)
    .sort();
}
