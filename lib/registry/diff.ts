/**
 * Line diff of two prompt versions for the side-by-side view: the longest common subsequence of
 * lines, then rows pairing each side. A removed line next to an added one becomes one "changed"
 * row, so edits line up across the two columns.
 */
export type DiffRow =
  | { kind: "same"; left: string; right: string; leftNo: number; rightNo: number }
  | { kind: "changed"; left: string; right: string; leftNo: number; rightNo: number }
  | { kind: "removed"; left: string; leftNo: number }
  | { kind: "added"; right: string; rightNo: number };

type Op = { kind: "same" | "removed" | "added"; text: string };

function lcsOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: "same", text: a[i]! });
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) ops.push({ kind: "removed", text: a[i++]! });
    else ops.push({ kind: "added", text: b[j++]! });
  }
  while (i < n) ops.push({ kind: "removed", text: a[i++]! });
  while (j < m) ops.push({ kind: "added", text: b[j++]! });
  return ops;
}

export function diffLines(before: string, after: string): DiffRow[] {
  const ops = lcsOps(before.split("\n"), after.split("\n"));
  const rows: DiffRow[] = [];
  let leftNo = 0;
  let rightNo = 0;
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k]!;
    if (op.kind === "same") {
      rows.push({ kind: "same", left: op.text, right: op.text, leftNo: ++leftNo, rightNo: ++rightNo });
      continue;
    }
    // Pair a run of removals with the run of additions that follows it.
    const removed: string[] = [];
    const added: string[] = [];
    while (k < ops.length && ops[k]!.kind === "removed") removed.push(ops[k++]!.text);
    while (k < ops.length && ops[k]!.kind === "added") added.push(ops[k++]!.text);
    k--;
    const pairs = Math.min(removed.length, added.length);
    for (let p = 0; p < pairs; p++)
      rows.push({ kind: "changed", left: removed[p]!, right: added[p]!, leftNo: ++leftNo, rightNo: ++rightNo });
    for (const text of removed.slice(pairs)) rows.push({ kind: "removed", left: text, leftNo: ++leftNo });
    for (const text of added.slice(pairs)) rows.push({ kind: "added", right: text, rightNo: ++rightNo });
  }
  return rows;
}

/** Variables only in one version: what a caller must add or may drop when moving between them. */
export function variableChanges(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  return { added: after.filter((v) => !before.includes(v)), removed: before.filter((v) => !after.includes(v)) };
}
