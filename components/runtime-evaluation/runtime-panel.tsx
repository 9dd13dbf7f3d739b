import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { KeyValueList } from "@/components/ui/key-value";
import type { RuntimeStatus } from "@/lib/runtime-evaluation/schemas";

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);
const usd = (x: number) => `$${x < 0.01 ? x.toFixed(6) : x.toFixed(4)}`;

/** A function's runtime evaluation: what is sampled, what the judges cost, and whether backpressure cut sampling. */
export function RuntimePanel({ status }: { status: RuntimeStatus }) {
  return (
    <Card className="mb-4" aria-label="Runtime evaluation">
      <div className="mb-3 flex items-center gap-2">
        <CardTitle>Runtime evaluation</CardTitle>
        {status.backpressure ? <Badge tone="warning">sampling reduced</Badge> : <Badge tone="success">sampling as configured</Badge>}
      </div>
      {status.backpressure && (
        <p role="status" className="mb-3 text-sm text-amber-700 dark:text-amber-400">
          {status.backpressure}
        </p>
      )}
      <KeyValueList
        items={[
          ["Evaluators", status.evaluators.join(", ")],
          ["Configured rate", pct(status.sampleRate)],
          [
            "Sampled, last 15 min",
            `${status.last15m.sampled} of ${status.last15m.seen} (${pct(status.last15m.share)}), ${status.last15m.shed} skipped`,
          ],
          ["Jobs waiting", `${status.backlog} (max_backlog ${status.maxBacklog})`],
          ["Scored, last 24 h", `${status.last24h.done} (${status.last24h.errors} with errors)`],
          ["Judge calls, last 24 h", `${status.last24h.judgeCalls} costing ${usd(status.last24h.judgeCost)}`],
          ["Last error", status.lastError ?? "—"],
        ]}
      />
      <p className="mt-3 text-xs text-muted-foreground">
        Scores are feedback with source <code>evaluator</code>: they appear among this function&apos;s metrics below and in its A/B results.
      </p>
    </Card>
  );
}
