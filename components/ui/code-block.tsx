"use client";

import { useState } from "react";
import { cn } from "./cn";

/** Preformatted text (JSON, prompts, outputs) rendered as text, never as HTML, with a copy button. */
export function CodeBlock({
  text,
  label,
  className,
  maxHeight = "24rem",
}: {
  text: string;
  label?: string;
  className?: string;
  maxHeight?: string;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className={cn("relative rounded-md border border-border bg-muted/50", className)}>
      <button
        type="button"
        className="absolute top-1.5 right-1.5 rounded border border-border bg-card px-1.5 py-0.5 text-[11px] hover:bg-muted"
        aria-label={label ? `Copy ${label}` : "Copy"}
        onClick={() => {
          void navigator.clipboard?.writeText(text).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          });
        }}
      >
        {copied ? "Copied" : "Copy"}
      </button>
      {/* Focusable, so a keyboard can scroll text longer than the box (axe: scrollable-region-focusable). */}
      <pre
        aria-label={label}
        tabIndex={0}
        className="overflow-auto p-3 pr-14 font-mono text-xs whitespace-pre-wrap break-words"
        style={{ maxHeight }}
      >
        {text}
      </pre>
    </div>
  );
}
