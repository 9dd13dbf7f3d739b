import { Card, CardTitle } from "@/components/ui/card";
import { Table, TBody, THead, Td, Th, Tr } from "@/components/ui/table";
import type { CascadeSummary } from "@/lib/analytics/cascade";

const usd = (x: number) => `${x < 0 ? "−" : ""}$${Math.abs(x).toFixed(Math.abs(x) < 1 ? 4 : 2)}`;

/** Cascade variants: escalation rate and cost saved against the strongest model (props only). */
export function CascadeSummaryView({ cascades }: { cascades: CascadeSummary[] }) {
  if (cascades.length === 0) return null;
  return (
    <Card className="mt-6" aria-label="Cascades">
      <CardTitle>Cascades</CardTitle>
      <p className="mb-2 text-sm text-muted-foreground">
        Each cascade asks its cheap model first and escalates when the answer fails its check. Saved: the cost of the same tokens at the
        strongest model&apos;s price, minus what the cascade paid (every step).
      </p>
      <Table caption="Cascade variants">
        <THead>
          <Tr>
            <Th>Variant</Th>
            <Th>Models</Th>
            <Th className="text-right">Inferences</Th>
            <Th className="text-right">Escalated</Th>
            <Th className="text-right">Escalation rate</Th>
            <Th className="text-right">Cost</Th>
            <Th className="text-right">Strongest only</Th>
            <Th className="text-right">Saved</Th>
          </Tr>
        </THead>
        <TBody>
          {cascades.map((c) => (
            <Tr key={c.variant}>
              <Td>{c.variant}</Td>
              <Td>{c.models.join(" → ")}</Td>
              <Td numeric>{c.inferences}</Td>
              <Td numeric>{c.escalated}</Td>
              <Td numeric>{c.escalationRate === null ? "—" : `${(c.escalationRate * 100).toFixed(1)}%`}</Td>
              <Td numeric>{usd(c.cost)}</Td>
              <Td numeric>{usd(c.strongestCost)}</Td>
              <Td numeric>{usd(c.saved)}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </Card>
  );
}
