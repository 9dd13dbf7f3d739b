import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { datasetItems, evaluationItems } from "@/db/schema";
import { BadRequestError } from "@/lib/http/errors";
import { compareArms, type Arm, type ArmComparison } from "./compare";
import { getRunRow, loadScoredItems, type EvaluationsContext } from "./runs.server";
import { summariseRun } from "./summary";
import type { CandidateSummary } from "./schemas";

/** `runId` or `runId:candidate`; a run with several candidates expands to one arm each. */
export interface ArmRef {
  runId: string;
  candidate?: string;
}

export interface ComparisonView {
  dataset: { versionId: string };
  arms: { label: string; runId: string; candidate: string; runName: string; summary: CandidateSummary }[];
  comparisons: ArmComparison[];
  /** Side by side outputs of the items asked for (regressions and improvements first), per arm label. */
  rows: {
    position: number;
    input: string;
    expected: string | null;
    kind: "regression" | "improvement" | "same";
    cells: Record<string, { output: string | null; passed: boolean | null; inferenceId: string | null; scores: Record<string, number> }>;
  }[];
  totalRows: number;
}

export async function compareRuns(
  ctx: EvaluationsContext,
  refs: ArmRef[],
  page: { offset?: number; limit?: number } = {},
): Promise<ComparisonView> {
  const arms: Arm[] = [];
  let versionId: string | null | undefined;
  const names = new Map<string, string>();
  for (const ref of refs) {
    const row = await getRunRow(ctx.db, ref.runId);
    if (versionId !== undefined && row.datasetVersionId !== versionId) {
      throw new BadRequestError(`Run ${ref.runId} is on another dataset version; compare runs of the same dataset version`);
    }
    versionId = row.datasetVersionId;
    names.set(row.id, row.name);
    const items = await loadScoredItems(ctx.db, row.id);
    const keys = ref.candidate ? [ref.candidate] : row.candidates.map((c) => c.key);
    const summaries = summariseRun(keys, items);
    for (const [i, candidate] of keys.entries()) {
      if (!row.candidates.some((c) => c.key === candidate)) throw new BadRequestError(`Run ${row.id} has no candidate "${candidate}"`);
      const label =
        refs.length === 1
          ? candidate
          : `${row.name} · ${candidate}${arms.some((a) => a.label === `${row.name} · ${candidate}`) ? ` (${row.id.slice(0, 8)})` : ""}`;
      arms.push({ runId: row.id, candidate, label, summary: summaries[i]!, items: items.filter((x) => x.candidate === candidate) });
    }
  }
  if (arms.length < 2) throw new BadRequestError("A comparison needs two arms: two runs, or a run with two candidates");
  if (!versionId) throw new BadRequestError("These runs have no dataset version to pair their items on");
  const comparisons = arms.slice(1).map((arm) => compareArms(arms[0]!, arm));
  const regressions = new Set(comparisons.flatMap((c) => c.overall.regressions));
  const improvements = new Set(comparisons.flatMap((c) => c.overall.improvements).filter((p) => !regressions.has(p)));
  const positions = [...new Set(arms[0]!.items.map((i) => i.position))].sort((a, b) => a - b);
  const ordered = [...regressions]
    .sort((a, b) => a - b)
    .concat(
      [...improvements].sort((a, b) => a - b),
      positions.filter((p) => !regressions.has(p) && !improvements.has(p)),
    );
  const shown = ordered.slice(page.offset ?? 0, (page.offset ?? 0) + Math.min(page.limit ?? 50, 500));
  const [dataset, outputs] = await Promise.all([
    ctx.db
      .select({ position: datasetItems.position, input: datasetItems.input, expected: datasetItems.expectedOutput })
      .from(datasetItems)
      .where(and(eq(datasetItems.versionId, versionId), inArray(datasetItems.position, shown.length ? shown : [-1]))),
    ctx.db
      .select({
        runId: evaluationItems.runId,
        candidate: evaluationItems.candidate,
        position: evaluationItems.itemPosition,
        output: evaluationItems.output,
        passed: evaluationItems.passed,
        inferenceId: evaluationItems.inferenceId,
        scores: evaluationItems.scores,
      })
      .from(evaluationItems)
      .where(
        and(
          inArray(evaluationItems.runId, [...new Set(arms.map((a) => a.runId))]),
          inArray(evaluationItems.itemPosition, shown.length ? shown : [-1]),
          eq(evaluationItems.repetition, 0),
        ),
      )
      .orderBy(asc(evaluationItems.itemPosition)),
  ]);
  const byPosition = new Map(dataset.map((d) => [d.position, d]));
  return {
    dataset: { versionId },
    arms: arms.map((a) => ({
      label: a.label,
      runId: a.runId,
      candidate: a.candidate,
      runName: names.get(a.runId) ?? "",
      summary: a.summary,
    })),
    comparisons,
    totalRows: ordered.length,
    rows: shown.map((position) => ({
      position,
      input: byPosition.get(position)?.input ?? "",
      expected: byPosition.get(position)?.expected ?? null,
      kind: regressions.has(position) ? "regression" : improvements.has(position) ? "improvement" : "same",
      cells: Object.fromEntries(
        arms.map((a) => {
          const o = outputs.find((x) => x.runId === a.runId && x.candidate === a.candidate && x.position === position);
          return [
            a.label,
            {
              output: o?.output ?? null,
              passed: o?.passed ?? null,
              inferenceId: o?.inferenceId ?? null,
              scores: Object.fromEntries(Object.entries(o?.scores ?? {}).map(([k, v]) => [k, v.score])),
            },
          ];
        }),
      ),
    })),
  };
}
