import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import type { CandidateSummary } from "@/lib/evaluations/schemas";
import { ci, num, pct, usd } from "./format";

/** Per candidate: pass rate and each evaluator's mean with 95% intervals, beside cost and latency. */
export function SummaryTable({ summary, caption = "Summary" }: { summary: CandidateSummary[]; caption?: string }) {
  const evaluators = [...new Set(summary.flatMap((c) => Object.keys(c.evaluators)))].sort();
  return (
    <Table caption={caption}>
      <THead>
        <Tr>
          <Th>Candidate</Th>
          <Th className="text-right">Done</Th>
          <Th className="text-right">Pass rate (95% CI)</Th>
          {evaluators.map((e) => (
            <Th key={e} className="text-right">
              {e}/mean
            </Th>
          ))}
          <Th className="text-right">Cost</Th>
          <Th className="text-right">Latency p50 / p95</Th>
        </Tr>
      </THead>
      <TBody>
        {summary.map((c) => (
          <Tr key={c.candidate}>
            <Td className="font-medium">{c.candidate}</Td>
            <Td numeric>
              {c.done}
              {c.errors ? <span className="text-danger"> +{c.errors} errors</span> : null}
            </Td>
            <Td numeric>
              {pct(c.passRate)} <span className="text-xs text-muted-foreground">{ci(c.passCi, true)}</span>
            </Td>
            {evaluators.map((e) => {
              const s = c.evaluators[e];
              return (
                <Td key={e} numeric>
                  {num(s?.mean)} <span className="text-xs text-muted-foreground">{ci(s?.meanCi)}</span>
                  {s?.errors ? <span className="text-xs text-danger"> ({s.errors} errors)</span> : null}
                </Td>
              );
            })}
            <Td numeric>
              {usd(c.cost.total)} <span className="text-xs text-muted-foreground">({usd(c.cost.mean)}/item)</span>
            </Td>
            <Td numeric>
              {num(c.latency.p50, 0)} / {num(c.latency.p95, 0)} ms
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
