import { describe, expect, it } from "vitest";
import { reviewerProgress } from "./reviewer-progress";

describe("progress per reviewer", () => {
  it("lists every assignee, those who have not started too, against an even share of the work", () => {
    const rows = reviewerProgress({
      reviewers: ["ana", "bo", "cy"],
      itemCount: 30,
      overlap: 2,
      perReviewer: [
        { reviewer: "bo", done: 10, skipped: 1, active: 1 },
        { reviewer: "admin", done: 3, skipped: 0, active: 0 },
      ],
    });
    expect(rows.map((r) => [r.reviewer, r.assigned, r.done, r.target])).toEqual([
      ["ana", true, 0, 20],
      ["bo", true, 10, 20],
      ["cy", true, 0, 20],
      ["admin", false, 3, 20],
    ]);
    expect(rows[1]?.share).toBe(0.5);
  });

  it("never expects more than every item of one reviewer, and measures open queues against every item", () => {
    const [only] = reviewerProgress({ reviewers: ["ana"], itemCount: 12, overlap: 3, perReviewer: [] });
    expect(only?.target).toBe(12);
    const open = reviewerProgress({
      reviewers: [],
      itemCount: 8,
      overlap: 1,
      perReviewer: [{ reviewer: "x", done: 8, skipped: 0, active: 0 }],
    });
    expect(open).toEqual([{ reviewer: "x", assigned: false, done: 8, skipped: 0, active: 0, target: 8, share: 1 }]);
    expect(reviewerProgress({ reviewers: ["a"], itemCount: 0, overlap: 1, perReviewer: [] })[0]?.share).toBe(0);
  });
});
