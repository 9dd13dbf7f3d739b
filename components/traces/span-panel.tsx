"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { KeyValueList } from "@/components/ui/key-value";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatUtc } from "@/lib/analytics/format";
import { formatValue } from "@/lib/charts/format";
import type { SpanView, TraceView } from "@/lib/traces/schemas";
import { StateBadge } from "./state-badge";

/** JSON text shown indented; other text as it is. */
function pretty(text: string): string {
  if (!text) return "";
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "string" ? value : JSON.stringify(value, null, 2);
  } catch {
    return text;
  }
}

/** One span: inputs and outputs, usage, the gateway inferences it made, attributes and events. */
export function SpanPanel({ span, inferences }: { span: SpanView; inferences: TraceView["inferences"] }) {
  const made = inferences.filter((i) => i.spanId === span.spanId);
  const attributes = Object.entries(span.attributes).filter(([k]) => !["mlflow.spanInputs", "mlflow.spanOutputs"].includes(k));
  return (
    <Card aria-label={`Span ${span.name}`} className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <CardTitle>{span.name || "(unnamed span)"}</CardTitle>
        <Badge>{span.spanType}</Badge>
        <StateBadge state={span.status} />
      </div>
      <KeyValueList
        items={[
          ["Span ID", <span className="font-mono text-xs">{span.spanId}</span>],
          ["Kind", span.kind],
          ["Starts at", `+${formatValue(span.offsetMs, "ms")}`],
          ["Duration", formatValue(span.durationMs, "ms")],
          ["Model", span.model || undefined],
          ["Tokens in / out", span.inputTokens + span.outputTokens > 0 ? `${span.inputTokens} / ${span.outputTokens}` : undefined],
          ["Cost", span.cost > 0 ? formatValue(span.cost, "usd") : undefined],
          ["Status message", span.statusMessage || undefined],
        ]}
      />
      <div className="grid gap-3 lg:grid-cols-2">
        <div>
          <h3 className="mb-1 text-sm font-medium">Inputs</h3>
          <CodeBlock text={pretty(span.inputs) || "(none recorded)"} label="Span inputs" maxHeight="20rem" />
        </div>
        <div>
          <h3 className="mb-1 text-sm font-medium">Outputs</h3>
          <CodeBlock text={pretty(span.outputs) || "(none recorded)"} label="Span outputs" maxHeight="20rem" />
        </div>
      </div>
      {made.length ? (
        <div>
          <h3 className="mb-1 text-sm font-medium">Gateway inferences made in this span</h3>
          <ul className="space-y-1 text-sm">
            {made.map((i) => (
              <li key={i.id}>
                <Link href={`/inferences/${i.id}`} className="text-primary hover:underline">
                  {i.functionName} / {i.variantName}
                </Link>{" "}
                <span className="text-muted-foreground">{formatUtc(Date.parse(`${i.timestamp.replace(" ", "T")}Z`), true)}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {attributes.length ? (
        <details>
          <summary className="cursor-pointer text-sm font-medium">Attributes ({attributes.length})</summary>
          <Table caption="Span attributes" className="mt-2">
            <THead>
              <tr>
                <Th>Key</Th>
                <Th>Value</Th>
              </tr>
            </THead>
            <TBody>
              {attributes.map(([key, value]) => (
                <Tr key={key}>
                  <Td className="font-mono text-xs">{key}</Td>
                  <Td className="max-w-xl font-mono text-xs break-all whitespace-pre-wrap">{pretty(value)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </details>
      ) : null}
      {span.events && span.events !== "[]" ? (
        <details>
          <summary className="cursor-pointer text-sm font-medium">Events</summary>
          <CodeBlock text={pretty(span.events)} label="Span events" maxHeight="16rem" className="mt-2" />
        </details>
      ) : null}
    </Card>
  );
}
