import type { Progress } from "@/lib/labelling/schemas";

/** Done / total items, and how many this reviewer labelled. */
export function ProgressBar({ progress }: { progress: Omit<Progress, "mine"> & { mine?: number } }) {
  const percent = progress.total === 0 ? 0 : Math.round((progress.doneItems / progress.total) * 100);
  return (
    <div className="flex min-w-64 flex-col gap-1" aria-label="Progress">
      <div
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={progress.doneItems}
        aria-label="Items done"
        className="h-2 overflow-hidden rounded-full bg-muted"
      >
        <div className="h-full bg-primary" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-xs text-muted-foreground" data-testid="progress-text">
        {progress.doneItems} / {progress.total} items done{progress.mine === undefined ? "" : ` · ${progress.mine} by you`}
      </p>
    </div>
  );
}
