"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A modal on the native <dialog> for forms and notices (ConfirmDialog is the yes/no case): focus
 * is trapped and restored by the browser; Escape calls `onClose` unless `dismissable` is false.
 * The caller renders the buttons.
 */
export function Dialog({
  open,
  title,
  children,
  onClose,
  dismissable = true,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  onClose: () => void;
  dismissable?: boolean;
}) {
  const titleId = useId();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (dismissable) onClose();
      }}
      className="m-auto w-full max-w-md rounded-lg border border-border bg-card p-5 text-foreground shadow-lg backdrop:bg-black/40"
    >
      <h2 id={titleId} className="text-base font-semibold">
        {title}
      </h2>
      {open ? <div className="mt-3 text-sm">{children}</div> : null}
    </dialog>
  );
}
