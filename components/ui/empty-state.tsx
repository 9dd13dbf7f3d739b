import type { ReactNode } from "react";

/** Says what is missing and what to do next, instead of an empty table. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div role="status" className="rounded-lg border border-dashed border-border p-10 text-center">
      <p className="text-base font-medium">{title}</p>
      {children ? <div className="mx-auto mt-2 max-w-xl text-sm text-muted-foreground">{children}</div> : null}
    </div>
  );
}
