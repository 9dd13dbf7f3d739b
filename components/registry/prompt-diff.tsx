import { cn } from "@/components/ui/cn";
import { diffLines, variableChanges } from "@/lib/registry/diff";

/** Two prompt versions side by side, changed lines highlighted, with the variables each adds or drops. */
export function PromptDiff({
  left,
  right,
}: {
  left: { label: string; text: string; variables: string[] };
  right: { label: string; text: string; variables: string[] };
}) {
  const rows = diffLines(left.text, right.text);
  const vars = variableChanges(left.variables, right.variables);
  const cell = "px-2 py-0.5 align-top font-mono text-xs whitespace-pre-wrap break-words";
  const num = "w-8 select-none px-1 text-right align-top font-mono text-[10px] text-muted-foreground";
  return (
    <figure aria-label={`Diff of ${left.label} and ${right.label}`}>
      <figcaption className="mb-2 text-sm">
        {vars.added.length || vars.removed.length ? (
          <>
            Variables{" "}
            {vars.added.length ? <span className="text-success">added: {vars.added.map((v) => `{{${v}}}`).join(", ")}</span> : null}
            {vars.added.length && vars.removed.length ? " · " : null}
            {vars.removed.length ? <span className="text-danger">removed: {vars.removed.map((v) => `{{${v}}}`).join(", ")}</span> : null}
          </>
        ) : (
          <span className="text-muted-foreground">Same variables.</span>
        )}
      </figcaption>
      <div className="overflow-x-auto rounded-lg border border-border">
        <table className="w-full table-fixed border-collapse">
          <thead className="bg-muted text-left text-xs">
            <tr>
              <th scope="col" className="w-8" />
              <th scope="col" className="px-2 py-1">
                {left.label}
              </th>
              <th scope="col" className="w-8" />
              <th scope="col" className="px-2 py-1">
                {right.label}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i} data-diff={row.kind}>
                <td className={num}>{row.kind === "added" ? "" : row.leftNo}</td>
                <td className={cn(cell, row.kind === "removed" && "bg-danger/15", row.kind === "changed" && "bg-warning/20")}>
                  {row.kind === "added" ? "" : (row.kind === "removed" ? "− " : "") + row.left}
                </td>
                <td className={num}>{row.kind === "removed" ? "" : row.rightNo}</td>
                <td className={cn(cell, row.kind === "added" && "bg-success/15", row.kind === "changed" && "bg-warning/20")}>
                  {row.kind === "removed" ? "" : (row.kind === "added" ? "+ " : "") + row.right}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
