import { Badge } from "@/components/ui/badge";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { reviewerProgress } from "@/lib/labelling/reviewer-progress";
import type { QueueDetail } from "@/lib/labelling/schemas";

/** Each assignee's labels against their share of the work, with a bar; others who labelled follow. */
export function ReviewerProgressTable({ q }: { q: QueueDetail }) {
  const rows = reviewerProgress(q);
  if (rows.length === 0) return <p className="mt-3 text-sm text-muted-foreground">No one has labelled yet.</p>;
  return (
    <Table caption="Progress per reviewer" className="mt-3">
      <THead>
        <Tr>
          <Th>Reviewer</Th>
          <Th>Progress</Th>
          <Th className="text-right">Done</Th>
          <Th className="text-right">Skipped</Th>
          <Th className="text-right">In progress</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((r) => (
          <Tr key={r.reviewer}>
            <Td>
              {r.reviewer} {r.assigned ? null : <Badge>not assigned</Badge>}
            </Td>
            <Td className="min-w-36">
              <div
                role="progressbar"
                aria-label={`${r.reviewer}: ${r.done} of ${r.target} labels`}
                aria-valuemin={0}
                aria-valuemax={r.target}
                aria-valuenow={Math.min(r.done, r.target)}
                className="h-2 overflow-hidden rounded-full bg-muted"
              >
                <div className="h-full bg-primary" style={{ width: `${Math.round(r.share * 100)}%` }} />
              </div>
              <span className="text-xs text-muted-foreground">
                {r.done} / {r.target} · {Math.round(r.share * 100)}%
              </span>
            </Td>
            <Td numeric>{r.done}</Td>
            <Td numeric>{r.skipped}</Td>
            <Td numeric>{r.active}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
