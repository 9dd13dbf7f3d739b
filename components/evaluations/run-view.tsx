"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { KeyValueList } from "@/components/ui/key-value";
import { QueryState } from "@/components/ui/query-state";
import { evaluationsApi } from "@/lib/evaluations/api-client";
import { queryKeys } from "@/lib/query/keys";
import { STATUS_TONE, num, when } from "./format";
import { ItemsTable } from "./items-table";
import { RunProgress } from "./run-progress";
import { SummaryTable } from "./summary-table";
import { useCan } from "@/lib/accounts/use-caller";

/** One run: live progress while it runs, its summary and thresholds, and its items. */
export function RunView({ id }: { id: string }) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: queryKeys.evaluation(id),
    queryFn: () => evaluationsApi.run(id),
    refetchInterval: (q) => (q.state.data && ["queued", "running"].includes(q.state.data.status) ? 1000 : false),
  });
  const cancel = useMutation({
    mutationFn: () => evaluationsApi.cancel(id),
    onSuccess: (run) => client.setQueryData(queryKeys.evaluation(id), run),
  });
  const [failuresOnly, setFailuresOnly] = useState(false);
  const canEdit = useCan("edit");
  return (
    <QueryState query={query} errorTitle="Could not load the run">
      {(run) => (
        <div className="space-y-6">
          <div className="flex flex-wrap items-center gap-4">
            <Badge tone={STATUS_TONE[run.status]}>{run.status}</Badge>
            <RunProgress progress={run.progress} />
            {canEdit && (run.status === "queued" || run.status === "running") ? (
              <Button size="sm" variant="danger" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
                Cancel run
              </Button>
            ) : null}
            {run.candidates.length > 1 ? (
              <Link
                className="text-sm underline"
                href={`/evaluations/compare?${run.candidates.map((c) => `arms=${run.id}:${c.key}`).join("&")}`}
              >
                Compare its candidates
              </Link>
            ) : null}
          </div>
          <KeyValueList
            items={[
              ["Function", run.function],
              ["Dataset", run.dataset ? `${run.dataset.name} v${run.dataset.version} (${run.dataset.digest})` : "—"],
              ["Candidates", run.candidates.map((c) => c.key).join(", ")],
              ["Evaluators", run.evaluators.map((e) => `${e.name} (${e.type})`).join(", ") || "—"],
              ["Repetitions · concurrency", `${run.repetitions} · ${run.concurrency}`],
              ["Created · finished", `${when(run.createdAt)} · ${when(run.finishedAt)}`],
              [
                "MLflow",
                run.mlflow.experimentId ? (
                  <Link key="mlflow" className="underline" href={`/experiments/${run.mlflow.experimentId}`}>
                    experiment {run.mlflow.experimentId}
                  </Link>
                ) : (
                  "—"
                ),
              ],
            ]}
          />
          <SummaryTable summary={run.summary} />
          {run.thresholds.length ? (
            <ul className="space-y-1 text-sm" aria-label="Thresholds">
              {run.thresholds.map((t, i) => (
                <li key={i}>
                  <Badge tone={t.pass ? "success" : "danger"}>{t.pass ? "pass" : "fail"}</Badge> {t.candidate}: {t.evaluator}/{t.stat}{" "}
                  {t.op} {t.value} (got {num(t.actual)})
                </li>
              ))}
            </ul>
          ) : null}
          <div>
            <label className="mb-2 flex items-center gap-2 text-sm">
              <input type="checkbox" checked={failuresOnly} onChange={(e) => setFailuresOnly(e.target.checked)} />
              Failures only
            </label>
            <ItemsTable id={run.id} failuresOnly={failuresOnly} live={run.status === "running"} />
          </div>
        </div>
      )}
    </QueryState>
  );
}
