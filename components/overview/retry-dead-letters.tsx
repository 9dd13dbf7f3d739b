"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { z } from "zod";
import { Can } from "@/components/auth/can";
import { Button } from "@/components/ui/button";
import { apiMessage } from "@/lib/accounts/messages";
import { fetchJson } from "@/lib/query/fetch-json";

const retryReply = z.object({ retried: z.number(), written: z.number(), still_refused: z.number() }).passthrough();

/** Admins only: writes the dead letters to ClickHouse again (after the cause is fixed), then refreshes the overview. */
export function RetryDeadLetters() {
  return (
    <Can permission="admin">
      <RetryButton />
    </Can>
  );
}

function RetryButton() {
  const router = useRouter();
  const retry = useMutation({
    mutationFn: () =>
      fetchJson("/api/gateway/dead-letters/retry", retryReply, {
        init: { method: "POST", headers: { "content-type": "application/json" }, body: "{}" },
      }),
    onSuccess: () => router.refresh(),
  });
  return (
    <div className="mt-2 flex flex-wrap items-center gap-3 text-sm">
      <Button size="sm" disabled={retry.isPending} onClick={() => retry.mutate()}>
        {retry.isPending ? "Retrying…" : "Retry dead letters"}
      </Button>
      {retry.data ? (
        <span role="status">
          Retried {retry.data.retried}: {retry.data.written} written, {retry.data.still_refused} still refused.
        </span>
      ) : null}
      {retry.error ? (
        <span role="alert" className="text-danger">
          {apiMessage(retry.error)}
        </span>
      ) : null}
    </div>
  );
}
