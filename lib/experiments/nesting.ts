/**
 * Nested runs in the runs table: a child whose parent is on the same page is listed under it
 * (shown when the parent is expanded) instead of at the top level; children fetched for an
 * expanded parent are merged in. Orphans (parent on another page) stay top-level rows.
 */
export interface NestableRun {
  runId: string;
  parentRunId: string | null;
}

export interface DisplayRow<T extends NestableRun> {
  run: T;
  depth: number;
}

export function nestRuns<T extends NestableRun>(
  page: readonly T[],
  expanded: ReadonlySet<string>,
  fetchedChildren: ReadonlyMap<string, readonly T[]> = new Map(),
): DisplayRow<T>[] {
  const onPage = new Set(page.map((r) => r.runId));
  const children = new Map<string, T[]>();
  const add = (child: T) => {
    if (!child.parentRunId) return;
    const list = children.get(child.parentRunId) ?? [];
    if (!list.some((c) => c.runId === child.runId)) list.push(child);
    children.set(child.parentRunId, list);
  };
  for (const run of page) if (run.parentRunId && onPage.has(run.parentRunId) && run.parentRunId !== run.runId) add(run);
  for (const list of fetchedChildren.values()) for (const child of list) add(child);

  const out: DisplayRow<T>[] = [];
  const seen = new Set<string>();
  const visit = (run: T, depth: number) => {
    if (seen.has(run.runId)) return;
    seen.add(run.runId);
    out.push({ run, depth });
    if (!expanded.has(run.runId)) return;
    for (const child of children.get(run.runId) ?? []) visit(child, depth + 1);
  };
  for (const run of page) {
    const nestedHere = run.parentRunId !== null && onPage.has(run.parentRunId) && run.parentRunId !== run.runId;
    if (!nestedHere) visit(run, 0);
  }
  return out;
}
