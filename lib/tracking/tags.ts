import type { Edge } from "@/lib/lineage/edges.server";
import { versionNodeId } from "@/lib/lineage/nodes";
import { RELATIONS } from "@/lib/lineage/relations";
import type { KeyValue } from "./types";

/** System tags MLflow clients set on runs, and the lineage they carry. */
export const RUN_NAME_TAG = "mlflow.runName";
export const PARENT_RUN_TAG = "mlflow.parentRunId";
/** JSON list of `{"name": …, "version": …}`: the prompt versions a run used (MLflow 3). */
export const LINKED_PROMPTS_TAG = "mlflow.linkedPrompts";
export const DATASET_CONTEXT_TAG = "mlflow.data.context";

function linkedPrompts(value: string): { name: string; version: string }[] {
  try {
    const parsed: unknown = JSON.parse(value);
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((entry: unknown) => {
      if (!entry || typeof entry !== "object") return [];
      const { name, version } = entry as Record<string, unknown>;
      return typeof name === "string" && (typeof version === "string" || typeof version === "number")
        ? [{ name, version: String(version) }]
        : [];
    });
  } catch {
    // A malformed tag is the client's data; it simply carries no lineage.
    return [];
  }
}

/** Lineage edges implied by tags set on a run. */
export function edgesFromRunTags(runId: string, tags: KeyValue[]): Edge[] {
  const run = { kind: "run", id: runId } as const;
  return tags.flatMap((tag): Edge[] => {
    if (tag.key === PARENT_RUN_TAG && tag.value && tag.value !== runId) {
      return [{ src: { kind: "run", id: tag.value }, relation: RELATIONS.parentOf, dst: run }];
    }
    if (tag.key === LINKED_PROMPTS_TAG) {
      return linkedPrompts(tag.value).map((p) => ({
        src: { kind: "prompt_version", id: versionNodeId(p.name, p.version) },
        relation: RELATIONS.usedBy,
        dst: run,
      }));
    }
    return [];
  });
}
