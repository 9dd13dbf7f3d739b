import type { QueueDetail } from "./schemas";

export interface ReviewerProgress {
  reviewer: string;
  /** False for someone who labelled without being assigned (an open queue, or an admin). */
  assigned: boolean;
  done: number;
  skipped: number;
  active: number;
  /** Labels this reviewer is expected to give: an even share of items × overlap, at most every item. */
  target: number;
  /** done / target, 0–1 (0 when there is nothing to do). */
  share: number;
}

/**
 * One row per assigned reviewer (those who have not started too) and per other reviewer who
 * labelled. With assignees, the work is items × overlap spread evenly; a reviewer labels an item at
 * most once, so nobody's target exceeds the item count. Open queues measure against every item.
 */
export function reviewerProgress(q: Pick<QueueDetail, "reviewers" | "perReviewer" | "itemCount" | "overlap">): ReviewerProgress[] {
  const assignees = [...new Set(q.reviewers)];
  const target = assignees.length
    ? Math.min(q.itemCount, Math.ceil((q.itemCount * Math.min(q.overlap, assignees.length)) / assignees.length))
    : q.itemCount;
  const counts = new Map(q.perReviewer.map((r) => [r.reviewer, r]));
  const names = [...assignees, ...q.perReviewer.map((r) => r.reviewer).filter((name) => !assignees.includes(name))];
  return names.map((reviewer) => {
    const c = counts.get(reviewer) ?? { done: 0, skipped: 0, active: 0 };
    return {
      reviewer,
      assigned: assignees.includes(reviewer),
      done: c.done,
      skipped: c.skipped,
      active: c.active,
      target,
      share: target > 0 ? Math.min(1, c.done / target) : 0,
    };
  });
}
