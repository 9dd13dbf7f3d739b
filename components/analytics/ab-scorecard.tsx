import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import type { AbReport, ScorecardCell, ScorecardRow } from "@/lib/analytics/ab";
import { cellEffect, worseOn } from "@/lib/analytics/scorecard";
import { formatValue } from "@/lib/charts/format";
import { UNIT_LABEL, intervalKind } from "@/lib/stats/effect";

const GROUP_LABEL = { primary: "chosen metric", metric: "metric", guardrail: "guardrail" } as const;

function StatusMark({ cell, winner }: { cell: ScorecardCell; winner: boolean }) {
  switch (cell.status) {
    case "better":
      return <Badge tone="success">better</Badge>;
    case "worse":
      // The mark the scorecard exists for: a variant called the winner that is worse here.
      return <Badge tone={winner ? "danger" : "warning"}>{winner ? "⚠ winner is worse" : "worse"}</Badge>;
    case "unclear":
      return <span className="text-xs text-muted-foreground">no clear difference</span>;
    case "unavailable":
      return <span className="text-xs text-muted-foreground">not comparable (control is zero)</span>;
    case "too-little-data":
    case "control":
      return null;
  }
}

function Cell({ row, cell, minSamples, winner }: { row: ScorecardRow; cell: ScorecardCell; minSamples: number; winner: boolean }) {
  const value = formatValue(cell.value, row.valueUnit);
  if (cell.status === "control") {
    return (
      <Td numeric>
        <div>{value}</div>
        <div className="text-xs text-muted-foreground">control · n = {formatValue(cell.n, "count")}</div>
      </Td>
    );
  }
  const effect = cellEffect(row, cell);
  return (
    <Td numeric data-status={cell.status}>
      <div>
        {value} <span className="text-xs text-muted-foreground">n = {formatValue(cell.n, "count")}</span>
      </div>
      {cell.status === "too-little-data" || effect === null ? (
        <div className="text-xs text-muted-foreground">too little data (fewer than {minSamples} in a variant)</div>
      ) : (
        <div className="whitespace-nowrap">{effect}</div>
      )}
      <div>
        <StatusMark cell={cell} winner={winner} />
      </div>
    </Td>
  );
}

/**
 * Every metric and guardrail, variant by variant against the control, each with the interval its
 * row names; a variant the chosen metric calls the winner is flagged where it is worse.
 */
export function AbScorecard({ report }: { report: AbReport }) {
  const winners = new Set(report.variants.filter((v) => v.verdict === "winner").map((v) => v.name));
  const treatments = report.variants.filter((v) => !v.isControl).map((v) => v.name);
  const columns = [report.control, ...treatments];
  return (
    <Card aria-label="Scorecard">
      <CardTitle>Scorecard: every metric and guardrail against {report.control}</CardTitle>
      <p className="mt-1 text-xs text-muted-foreground">
        Each cell: the variant&apos;s value, then its effect against the control with the interval its row names. Guardrails (cost per
        request, latency p50/p95, error rate: lower is better) use {intervalKind("open", report.alpha)}s at today&apos;s totals, so reading
        them daily is safe.
      </p>
      {[...winners].map((w) => {
        const rows = worseOn(report.scorecard, w);
        return rows.length ? (
          <p
            key={w}
            role="alert"
            data-testid="scorecard-warning"
            className="mt-2 rounded-md border border-danger/50 bg-danger/10 p-2 text-sm"
          >
            ⚠ {w} wins on {report.metric.name} but is worse on {rows.map((r) => r.label).join(", ")}.
          </p>
        ) : null;
      })}
      <Table caption={`Scorecard of ${report.functionName} against ${report.control}`} className="mt-3">
        <THead>
          <tr>
            <Th>Metric · unit and interval</Th>
            {columns.map((c) => (
              <Th key={c} className="text-right">
                {c}
                {c === report.control ? " (control)" : ""}
              </Th>
            ))}
          </tr>
        </THead>
        <TBody>
          {report.scorecard.map((row) => (
            <Tr key={row.key} data-row={row.key} data-group={row.group}>
              <Td>
                <div className="font-medium">
                  {row.label} <Badge tone={row.group === "guardrail" ? "warning" : "neutral"}>{GROUP_LABEL[row.group]}</Badge>
                </div>
                <div className="text-xs text-muted-foreground">
                  {row.optimize === "max" ? "higher" : "lower"} is better · {UNIT_LABEL[row.scale]},{" "}
                  {intervalKind(row.design, report.alpha)}
                </div>
              </Td>
              {columns.map((name) => {
                const c = row.cells.find((x) => x.variant === name);
                return c ? (
                  <Cell key={name} row={row} cell={c} minSamples={report.minSamples} winner={winners.has(name)} />
                ) : (
                  <Td key={name} numeric>
                    —
                  </Td>
                );
              })}
            </Tr>
          ))}
        </TBody>
      </Table>
    </Card>
  );
}
