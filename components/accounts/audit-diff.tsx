import { auditDiff } from "@/lib/accounts/audit-diff";
import { cn } from "@/components/ui/cn";

/** An audit entry's before → after as JSON lines: removed ones red with "-", added ones green with "+". Text only, never HTML. */
export function AuditDiff({ before, after, label }: { before: unknown; after: unknown; label: string }) {
  const lines = auditDiff(before, after);
  if (lines.length === 0) return <p className="text-sm text-muted-foreground">No recorded state.</p>;
  return (
    <pre
      aria-label={`Changes of ${label}`}
      className="max-h-96 overflow-auto rounded-md border border-border bg-card p-2 font-mono text-xs"
    >
      {lines.map((line, i) => (
        <div
          key={i}
          className={cn(
            "whitespace-pre-wrap break-words",
            line.kind === "added" && "bg-success/15",
            line.kind === "removed" && "bg-danger/15 text-muted-foreground",
          )}
        >
          <span aria-hidden className="mr-2 select-none">
            {line.kind === "added" ? "+" : line.kind === "removed" ? "-" : " "}
          </span>
          {line.kind === "added" ? (
            <ins className="no-underline">{line.text}</ins>
          ) : line.kind === "removed" ? (
            <del>{line.text}</del>
          ) : (
            line.text
          )}
        </div>
      ))}
    </pre>
  );
}
