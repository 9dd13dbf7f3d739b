import { Card, CardTitle } from "@/components/ui/card";
import { Table, TBody, THead, Td, Th, Tr } from "@/components/ui/table";
import { OUTCOMES, type GuardrailLine, type OutcomeName } from "@/lib/guardrails/summary";

const COLOURS: Record<OutcomeName, string> = {
  pass: "var(--chart-2)",
  flagged: "var(--chart-3)",
  redacted: "var(--chart-5)",
  blocked: "var(--chart-4)",
  error: "var(--muted-foreground)",
};

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** One stacked bar: each outcome's share of a guardrail's checks (props only). */
function OutcomeBar({ line }: { line: GuardrailLine }) {
  return (
    <div
      className="flex h-3 w-40 overflow-hidden rounded bg-muted"
      role="img"
      aria-label={OUTCOMES.map((o) => `${o} ${pct(line.shares[o])}`).join(", ")}
    >
      {OUTCOMES.filter((o) => line.shares[o] > 0).map((o) => (
        <div key={o} style={{ width: pct(line.shares[o]), background: COLOURS[o] }} title={`${o}: ${line.counts[o]}`} />
      ))}
    </div>
  );
}

/** The function's guardrail verdicts over the page's range: counts per outcome and the checks' time. */
export function GuardrailSummaryView({ lines }: { lines: GuardrailLine[] }) {
  if (lines.length === 0) return null;
  return (
    <Card className="mt-6" aria-label="Guardrails">
      <CardTitle>Guardrails</CardTitle>
      <p className="mb-2 text-sm text-muted-foreground">
        Each check of this function&apos;s inputs and outputs (llmops.toml <code>[guardrails]</code>): what passed, was flagged (monitor),
        redacted or blocked, and how long the check took.
      </p>
      <div className="mb-2 flex gap-3 text-xs text-muted-foreground">
        {OUTCOMES.map((o) => (
          <span key={o} className="flex items-center gap-1">
            <span className="inline-block h-2 w-2 rounded-sm" style={{ background: COLOURS[o] }} />
            {o}
          </span>
        ))}
      </div>
      <Table caption="Guardrail verdicts">
        <THead>
          <Tr>
            <Th>Guardrail</Th>
            <Th>Kind</Th>
            <Th>Stage</Th>
            <Th>Mode</Th>
            <Th>Outcomes</Th>
            <Th className="text-right">Checks</Th>
            <Th className="text-right">Flagged</Th>
            <Th className="text-right">Redacted</Th>
            <Th className="text-right">Blocked</Th>
            <Th className="text-right">Errors</Th>
            <Th className="text-right">p50 ms</Th>
            <Th className="text-right">p95 ms</Th>
          </Tr>
        </THead>
        <TBody>
          {lines.map((l) => (
            <Tr key={`${l.name}/${l.stage}`}>
              <Td>{l.name}</Td>
              <Td>{l.kind}</Td>
              <Td>{l.stage}</Td>
              <Td>{l.mode}</Td>
              <Td>
                <OutcomeBar line={l} />
              </Td>
              <Td numeric>{l.checks}</Td>
              <Td numeric>{l.counts.flagged}</Td>
              <Td numeric>{l.counts.redacted}</Td>
              <Td numeric>{l.counts.blocked}</Td>
              <Td numeric>{l.counts.error}</Td>
              <Td numeric>{l.p50Ms.toFixed(2)}</Td>
              <Td numeric>{l.p95Ms.toFixed(2)}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </Card>
  );
}
