import type { ReactNode } from "react";
import { Button } from "./button";

/** Says what failed, in the API's own words, and offers a retry. */
export function ErrorState({
  title = "Could not load this",
  error,
  onRetry,
  children,
}: {
  title?: string;
  error: unknown;
  onRetry?: () => void;
  children?: ReactNode;
}) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="rounded-lg border border-danger/40 bg-danger/10 p-4 text-sm">
      <p className="font-medium">{title}</p>
      <p className="mt-1 break-words">{message}</p>
      {children}
      {onRetry ? (
        <Button size="sm" className="mt-3" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}
