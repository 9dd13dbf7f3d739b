"use client";

import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { CreatedKey } from "@/lib/accounts/schemas";

/**
 * Shows a new key's secret exactly once: the server keeps only its hash, so closing this dialog
 * loses it for good. Copy puts it on the clipboard; where the browser refuses, the text is selected
 * for a manual copy. Escape does not close it by accident; Done does.
 */
export function KeySecretDialog({ created, onClose }: { created: CreatedKey | undefined; onClose: () => void }) {
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const field = useRef<HTMLInputElement>(null);
  const close = () => {
    setCopy("idle");
    onClose();
  };
  const copySecret = async (secret: string) => {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(secret);
      setCopy("copied");
    } catch {
      field.current?.select();
      setCopy("failed");
    }
  };
  return (
    <Dialog open={created !== undefined} title={`API key “${created?.key.name ?? ""}” created`} onClose={close} dismissable={false}>
      {created ? (
        <div className="flex flex-col gap-3">
          <p role="alert" className="rounded-md border border-warning/60 bg-warning/15 p-2 font-medium">
            Copy this key now: you will not see it again. Only its prefix is kept for display.
          </p>
          <div className="flex gap-2">
            <input
              ref={field}
              readOnly
              aria-label="API key secret"
              value={created.secret}
              onFocus={(e) => e.currentTarget.select()}
              className="w-full rounded-md border border-border bg-muted/50 px-2.5 py-1.5 font-mono text-xs"
            />
            <Button onClick={() => void copySecret(created.secret)}>{copy === "copied" ? "Copied" : "Copy"}</Button>
          </div>
          <p aria-live="polite" className="text-xs text-muted-foreground">
            {copy === "copied"
              ? "The key is on your clipboard."
              : copy === "failed"
                ? "This browser refused the clipboard: the key is selected, press Ctrl+C (⌘C)."
                : `Send it as "Authorization: Bearer <key>", or as the OpenAI SDK's apiKey, or as MLFLOW_TRACKING_TOKEN.`}
          </p>
          <div className="flex justify-end">
            <Button variant="primary" onClick={close}>
              Done
            </Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
