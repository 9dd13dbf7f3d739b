import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import type { VersionAgreement } from "@/lib/runtime-evaluation/calibration";

const num = (x: number | null) => (x === null ? "—" : x.toFixed(2));

/** Judge–human agreement per judge version: kappa, correlation, confusion table, and a flag when agreement dropped. */
export function CalibrationTable({ rows, what }: { rows: VersionAgreement[]; what: string }) {
  if (!rows.length) return null;
  return (
    <Card className="mb-4" aria-label="Judge calibration">
      <CardTitle className="mb-1">Judge calibration</CardTitle>
      <p className="mb-3 text-xs text-muted-foreground">
        {what} Human labels and runtime judge scores of the same inferences, on the same metric; pass/fail for kappa (a human score 1–5
        passes from 3, a judge score from its threshold).
      </p>
      <table className="w-full text-sm">
        <thead className="text-left text-xs text-muted-foreground">
          <tr>
            <th className="py-1">Metric</th>
            <th>Judge version</th>
            <th className="text-right">Pairs</th>
            <th className="text-right">Cohen&apos;s κ</th>
            <th className="text-right">Agreement</th>
            <th className="text-right">Pearson r</th>
            <th className="text-right" title="human pass: judge pass / judge fail · human fail: judge pass / judge fail">
              Confusion (H✓ J✓/J✗ · H✗ J✓/J✗)
            </th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.metric}|${r.judgeVersion}`} className="border-t border-border">
              <td className="py-1">{r.metric}</td>
              <td className="font-mono text-xs">{r.judgeVersion}</td>
              <td className="text-right">{r.pairs}</td>
              <td className="text-right">{num(r.kappa)}</td>
              <td className="text-right">{r.observed === null ? "—" : `${(r.observed * 100).toFixed(0)}%`}</td>
              <td className="text-right">{num(r.correlation)}</td>
              <td className="text-right font-mono text-xs">
                {r.confusion.bothPass}/{r.confusion.humanPassJudgeFail} · {r.confusion.humanFailJudgePass}/{r.confusion.bothFail}
              </td>
              <td className="pl-2">{r.flag ? <Badge tone="danger">{r.flag}</Badge> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
