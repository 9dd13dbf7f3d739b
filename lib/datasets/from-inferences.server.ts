import "server-only";
import { BadRequestError } from "@/lib/http/errors";
import { loadExamples } from "@/lib/inference/lookups.server";
import type { DatasetVersionInfo } from "./schemas";
import { createDatasetVersion, type DatasetsContext } from "./store.server";

/**
 * A version from inferences picked in the inference browser: each keeps its input (variables and
 * messages) and expects its own output, or its latest demonstration (the corrected answer given as
 * feedback); with `demonstration`, inferences without one are left out. `append` adds them after
 * the latest version's items ("add to a dataset" from an inference's page) instead of replacing them.
 */
export async function createFromInferences(
  ctx: DatasetsContext,
  input: { name: string; inferenceIds: string[]; expected: "output" | "demonstration"; append?: boolean },
): Promise<DatasetVersionInfo> {
  const ids = [...new Set(input.inferenceIds)];
  const found = new Map((await loadExamples(ctx.clickhouse, ids)).map((r) => [r.id, r]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new BadRequestError(`No inference with id ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? " …" : ""}`);
  const items = ids.flatMap((id) => {
    const row = found.get(id)!;
    const expected = input.expected === "demonstration" ? demonstrationText(row.demonstration) : outputText(row.output);
    if (expected === undefined) return [];
    const { messages, variables } = JSON.parse(row.input) as { messages?: unknown[]; variables?: Record<string, unknown> };
    return [
      {
        inferenceId: id,
        input: JSON.stringify({ ...(variables ? { variables } : {}), ...(messages?.length ? { messages } : {}) }),
        expectedOutput: expected,
      },
    ];
  });
  if (!items.length) throw new BadRequestError("None of these inferences has a demonstration (a corrected answer) to expect");
  return createDatasetVersion(ctx, {
    name: input.name,
    items,
    source: { kind: "inferences", expected: input.expected },
    append: input.append,
  });
}

function outputText(output: string): string {
  const parsed = JSON.parse(output) as { content?: string | null; tool_calls?: unknown[] };
  return parsed.content ?? JSON.stringify(parsed.tool_calls ?? []);
}

/** Demonstrations are stored as `{"content": …}` (labelling) or as plain text (API clients). */
function demonstrationText(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as { content?: unknown };
    if (parsed && typeof parsed === "object" && typeof parsed.content === "string") return parsed.content;
  } catch {
    // plain text
  }
  return text;
}
