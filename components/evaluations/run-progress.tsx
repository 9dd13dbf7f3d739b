import type { RunView } from "@/lib/evaluations/schemas";

/** Done (and errored) units of a run over its total, with the ETA while it runs. */
export function RunProgress({ progress }: { progress: RunView["progress"] }) {
  const finished = progress.done + progress.errors;
  const percent = progress.total === 0 ? 0 : Math.round((finished / progress.total) * 100);
  return (
    <div className="flex min-w-64 flex-col gap-1">
      <div
        role="progressbar"
        aria-label="Evaluation progress"
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={finished}
        className="h-2 overflow-hidden rounded-full bg-muted"
      >
        <div className="h-full bg-primary transition-all" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-xs text-muted-foreground" data-testid="run-progress">
        {finished} / {progress.total} done{progress.errors ? ` · ${progress.errors} errors` : ""}
        {progress.running ? ` · ${progress.running} running` : ""}
        {progress.etaSeconds !== null ? ` · about ${progress.etaSeconds} s left` : ""}
      </p>
    </div>
  );
}
