import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cn } from "./cn";

/** A horizontally scrollable table that keeps its header visible. */
export function Table({ className, caption, children }: { className?: string; caption?: string; children: ReactNode }) {
  return (
    // Focusable, so a keyboard can scroll a table wider than the page (axe: scrollable-region-focusable),
    // and named after the table, so what is scrolled is announced (a group, not one more landmark).
    <div
      tabIndex={0}
      role={caption ? "group" : undefined}
      aria-label={caption}
      className={cn("overflow-x-auto rounded-lg border border-border", className)}
    >
      <table className="w-full border-collapse text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}

export function THead(props: HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className="sticky top-0 bg-muted text-left text-xs text-muted-foreground" {...props} />;
}

export function TBody(props: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className="divide-y divide-border" {...props} />;
}

export function Tr({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cn("hover:bg-muted/50", className)} {...props} />;
}

export function Th({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={cn("px-3 py-2 font-medium whitespace-nowrap", className)} {...props} />;
}

export function Td({ className, numeric, ...props }: TdHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <td className={cn("px-3 py-2 align-top", numeric && "text-right whitespace-nowrap tabular-nums", className)} {...props} />;
}

export type SortDirection = "asc" | "desc";

/**
 * A column header that sorts: clicking cycles none → first direction → the other, and the state
 * is announced with aria-sort. The caller owns the state (usually in the URL).
 */
export function SortableTh({
  label,
  direction,
  onSort,
  numeric,
  firstDirection = numeric ? "desc" : "asc",
}: {
  label: string;
  direction: SortDirection | undefined;
  onSort: (next: SortDirection) => void;
  numeric?: boolean;
  firstDirection?: SortDirection;
}) {
  const next: SortDirection = direction === undefined ? firstDirection : direction === "asc" ? "desc" : "asc";
  return (
    <th
      scope="col"
      aria-sort={direction === undefined ? "none" : direction === "asc" ? "ascending" : "descending"}
      className={cn("px-3 py-2 font-medium whitespace-nowrap", numeric && "text-right")}
    >
      <button
        type="button"
        onClick={() => onSort(next)}
        className="inline-flex items-center gap-1 hover:text-foreground"
        title={`Sort by ${label}, ${next === "asc" ? "ascending" : "descending"}`}
      >
        {label}
        <span aria-hidden className="text-[10px]">
          {direction === "asc" ? "▲" : direction === "desc" ? "▼" : "↕"}
        </span>
      </button>
    </th>
  );
}
