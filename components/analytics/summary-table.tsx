import Link from "next/link";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { summaryRows } from "@/lib/analytics/prepare";
import type { FunctionReport } from "@/lib/analytics/schemas";
import { formatValue } from "@/lib/charts/format";

/** One row per variant over the whole range: the numbers behind the charts. */
const triple = (a: number | null, b: number | null, c: number | null) =>
  a === null ? "—" : `${formatValue(a, "ms")} / ${formatValue(b, "ms")} / ${formatValue(c, "ms")}`;

/**
 * Two tables, so that nothing scrolls out of view at 1440 px: what a product decision reads
 * (traffic, errors, cost per request and every feedback metric), then latency, tokens and cache.
 */
export function SummaryTable({ report }: { report: FunctionReport }) {
  const rows = summaryRows(report);
  const metrics = report.function.metrics;
  const variantCell = (variant: string) => (
    <Td className="font-medium">
      <Link
        href={`/functions/${encodeURIComponent(report.function.name)}/variants/${encodeURIComponent(variant)}`}
        className="text-primary hover:underline"
      >
        {variant}
      </Link>
    </Td>
  );
  return (
    <div className="space-y-4">
      <Table caption="Variants over the selected range">
        <THead>
          <tr>
            <Th>Variant</Th>
            <Th className="text-right">Weight</Th>
            <Th className="text-right whitespace-normal">Requests (share)</Th>
            <Th className="text-right whitespace-normal">Error rate</Th>
            <Th className="text-right whitespace-normal">Cost per request</Th>
            {/* Headers wrap (a metric name anywhere, its kind below) so every metric column fits at 1440 px. */}
            {metrics.map((m) => (
              <Th key={m.name} className="text-right whitespace-normal [overflow-wrap:anywhere]">
                {m.name} <span className="block font-normal text-muted-foreground">{m.type === "boolean" ? "(% true)" : "(mean)"}</span>
              </Th>
            ))}
          </tr>
        </THead>
        <TBody>
          {rows.map((r) => (
            <Tr key={r.variant}>
              {variantCell(r.variant)}
              <Td numeric>{r.weight === null ? "—" : formatValue(r.weight)}</Td>
              <Td numeric>
                {formatValue(r.stats?.requests ?? 0, "count")}{" "}
                <span className="text-muted-foreground">({formatValue(r.share, "percent")})</span>
              </Td>
              <Td numeric>{formatValue(r.errorRate, "percent")}</Td>
              <Td numeric>{formatValue(r.costPerRequest, "usd")}</Td>
              {metrics.map((m) => {
                const v = r.metrics[m.name];
                return (
                  <Td key={m.name} numeric>
                    {v ? formatValue(v.mean, m.type === "boolean" ? "percent" : "none") : "—"}
                    <span className="block text-xs text-muted-foreground">n = {formatValue(v?.n ?? 0, "count")}</span>
                  </Td>
                );
              })}
            </Tr>
          ))}
        </TBody>
      </Table>
      <Table caption="Latency, tokens and cache per variant">
        <THead>
          <tr>
            <Th>Variant</Th>
            <Th className="text-right">Latency p50 / p95 / p99</Th>
            <Th className="text-right">TTFT p50 / p95 / p99</Th>
            <Th className="text-right">Tokens in / out</Th>
            <Th className="text-right">Cost (total)</Th>
            <Th className="text-right">Cache hits</Th>
          </tr>
        </THead>
        <TBody>
          {rows.map((r) => (
            <Tr key={r.variant}>
              {variantCell(r.variant)}
              <Td numeric className="whitespace-nowrap">
                {r.stats ? triple(r.stats.latencyP50, r.stats.latencyP95, r.stats.latencyP99) : "—"}
              </Td>
              <Td numeric className="whitespace-nowrap">
                {r.stats ? triple(r.stats.ttftP50, r.stats.ttftP95, r.stats.ttftP99) : "—"}
              </Td>
              <Td numeric>
                {r.stats ? `${formatValue(r.stats.inputTokens, "tokens")} / ${formatValue(r.stats.outputTokens, "tokens")}` : "—"}
              </Td>
              <Td numeric>{formatValue(r.stats?.cost ?? 0, "usd")}</Td>
              <Td numeric>{formatValue(r.cacheHitRate, "percent")}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
