import type { DeadLetterSummary } from "@/lib/gateway/dead-letters.server";
import type { RecorderStats } from "@/lib/gateway/recorder.server";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatValue } from "@/lib/charts/format";
import { RetryDeadLetters } from "./retry-dead-letters";

/**
 * The gateway's log on this instance (buffered, written, dropped rows and the spool) and the dead
 * letters every instance shares: rows ClickHouse refused on their own, kept in Postgres until a
 * retry after the cause is fixed (lib/gateway/README.md).
 */
export function GatewayLog({ stats, deadLetters }: { stats: RecorderStats; deadLetters: DeadLetterSummary | null }) {
  const figures: [string, number][] = [
    ["Rows waiting", stats.buffered + stats.sending],
    ["Written", stats.written],
    ["Dropped", stats.dropped],
    ["In the spool (files)", stats.spool?.files ?? 0],
  ];
  return (
    <section aria-labelledby="gateway-log-heading" className="mt-10">
      <h2 id="gateway-log-heading" className="mb-3 text-lg font-semibold">
        Gateway log
      </h2>
      <dl className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {figures.map(([label, value]) => (
          <div key={label} className="rounded-lg border p-4">
            <dt className="text-sm text-muted-foreground">{label}</dt>
            <dd className="mt-1 text-xl font-semibold tabular-nums">{formatValue(value, "count")}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-2 text-xs text-muted-foreground">Rows waiting, written and dropped count this app instance since it started.</p>
      {deadLetters === null ? (
        <p className="mt-4 text-sm text-muted-foreground">The dead letters are unavailable while Postgres is down.</p>
      ) : deadLetters.count === 0 ? (
        <p className="mt-4 text-sm">No dead letters: ClickHouse has accepted every recorded row.</p>
      ) : (
        <div className="mt-4">
          <p className="text-sm">
            <strong>{formatValue(deadLetters.count, "count")} dead letters</strong> (rows ClickHouse refused):{" "}
            {Object.entries(deadLetters.by_table)
              .map(([table, n]) => `${table} ${n}`)
              .join(", ")}
            . After fixing the cause, write them again with <code>npx llmops gateway retry-dead-letters</code> or{" "}
            <code>POST /api/gateway/dead-letters/retry</code>.
          </p>
          <RetryDeadLetters />
          <Table caption="Latest dead letters" className="mt-3">
            <THead>
              <tr>
                <Th>Id</Th>
                <Th>Table</Th>
                <Th>Error</Th>
                <Th>Attempts</Th>
                <Th>Last failed (UTC)</Th>
              </tr>
            </THead>
            <TBody>
              {deadLetters.latest.map((d) => (
                <Tr key={d.id}>
                  <Td numeric>{d.id}</Td>
                  <Td>{d.table}</Td>
                  <Td className="break-all">
                    {d.error_code ? <span className="font-mono">{d.error_code}: </span> : null}
                    {d.error}
                  </Td>
                  <Td numeric>{d.attempts}</Td>
                  <Td className="whitespace-nowrap">{d.last_failed_at.replace("T", " ").slice(0, 19)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </div>
      )}
    </section>
  );
}
