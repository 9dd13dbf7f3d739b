import type { ReactNode } from "react";
import { cn } from "./cn";

/** A two-column list of facts; entries whose value is undefined are left out. */
export function KeyValueList({ items, className }: { items: [label: string, value: ReactNode | undefined][]; className?: string }) {
  return (
    <dl className={cn("grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm", className)}>
      {items
        .filter(([, value]) => value !== undefined && value !== null && value !== "")
        .map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-muted-foreground">{label}</dt>
            <dd className="min-w-0 break-words">{value}</dd>
          </div>
        ))}
    </dl>
  );
}
