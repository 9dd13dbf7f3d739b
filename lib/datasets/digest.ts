import { createHash } from "node:crypto";

/** What the digest covers: the item's identity and everything an evaluation reads from it. */
export interface DigestItem {
  inferenceId: string | null;
  input: string;
  expectedOutput: string | null;
  context?: string | null;
  assertions?: unknown[];
  tags?: Record<string, string>;
}

/**
 * sha256 of the canonical items (first 16 hex characters), the version's digest. Items with no
 * context, assertions or tags hash as `[inferenceId, input, expected]`, as labelling's versions
 * always did, so digests of versions saved before datasets had those fields stay the same.
 */
export function digestOf(items: DigestItem[]): string {
  const canonical = JSON.stringify(
    items.map((i) => {
      const base = [i.inferenceId, i.input, i.expectedOutput];
      const extra = i.context != null || (i.assertions?.length ?? 0) > 0 || Object.keys(i.tags ?? {}).length > 0;
      return extra ? [...base, i.context ?? null, i.assertions ?? [], sortedTags(i.tags ?? {})] : base;
    }),
  );
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

const sortedTags = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));
