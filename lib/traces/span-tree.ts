/**
 * Orders a trace's spans for the tree view: depth-first from the roots, children by start time,
 * each with its depth. Spans whose parent is missing (not received yet, or from another service)
 * are shown as roots rather than dropped. Pure, so the view and its tests share it.
 */
export interface TreeSpan {
  spanId: string;
  parentSpanId: string;
  offsetMs: number;
}

export function spanTree<S extends TreeSpan>(spans: readonly S[]): { span: S; depth: number }[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, S[]>();
  const roots: S[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      const list = children.get(span.parentSpanId) ?? [];
      list.push(span);
      children.set(span.parentSpanId, list);
    } else roots.push(span);
  }
  const byStart = (a: S, b: S) => a.offsetMs - b.offsetMs || a.spanId.localeCompare(b.spanId);
  const out: { span: S; depth: number }[] = [];
  const seen = new Set<string>();
  const visit = (span: S, depth: number) => {
    if (seen.has(span.spanId)) return;
    seen.add(span.spanId);
    out.push({ span, depth });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  for (const root of roots.sort(byStart)) visit(root, 0);
  // A parent cycle leaves spans unreachable from any root: list them at the top level.
  for (const span of spans) visit(span, 0);
  return out;
}

/** Left offset and width of a span's bar, in percent of the trace's duration. */
export function timelineBar(offsetMs: number, durationMs: number, totalMs: number): { left: number; width: number } {
  if (totalMs <= 0) return { left: 0, width: 100 };
  const left = Math.min(100, Math.max(0, (offsetMs / totalMs) * 100));
  return { left, width: Math.max(0.5, Math.min(100 - left, (durationMs / totalMs) * 100)) };
}
