"use client";

import { useEffect } from "react";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="rounded-lg border border-danger/40 bg-danger/10 p-6">
      <h1 className="text-lg font-semibold">This page could not be loaded</h1>
      <p className="mt-2 text-sm">{error.message || "An unexpected error occurred."}</p>
      {error.digest ? <p className="mt-1 text-xs text-muted-foreground">Reference: {error.digest} (see the server log)</p> : null}
      <p className="mt-2 text-sm text-muted-foreground">
        Check{" "}
        <a className="underline" href="/api/health">
          /api/health
        </a>{" "}
        to see whether both stores are reachable.
      </p>
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-primary px-3 py-1.5 text-sm text-primary-foreground">
        Try again
      </button>
    </div>
  );
}
