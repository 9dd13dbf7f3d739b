"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { evaluationsApi } from "@/lib/evaluations/api-client";

const TONE = { none: "neutral", pass: "success", warn: "warning", fail: "danger" } as const;
const LABEL = { none: "No promotion policy", pass: "Gate passes", warn: "Gate warns", fail: "Gate refuses" } as const;

/** The promotion gate's verdict on a pending alias move, with each condition's evidence. */
export function GateEvidence({ name, alias, version }: { name: string; alias: string; version: number }) {
  const gate = useQuery({ queryKey: ["gate", name, alias, version], queryFn: () => evaluationsApi.gate(name, alias, version) });
  if (gate.isPending) return <p className="mt-3 text-xs text-muted-foreground">Checking the promotion gate…</p>;
  if (gate.isError) return <p className="mt-3 text-xs text-danger">Could not check the promotion gate: {gate.error.message}</p>;
  const g = gate.data;
  return (
    <div className="mt-3 space-y-2 text-sm" data-testid="gate-evidence">
      <Badge tone={TONE[g.verdict]}>{LABEL[g.verdict]}</Badge>
      {g.verdict !== "none" ? (
        <ul className="space-y-1">
          {g.conditions.map((c, i) => (
            <li key={i} className="flex gap-2">
              <span aria-label={c.pass ? "holds" : "fails"}>{c.pass ? "✓" : "✗"}</span>
              <span>
                <span className="font-medium">{c.description}</span>
                {c.mode === "warn" ? " (warn only)" : ""}: {c.detail}
                {c.runId ? (
                  <>
                    {" "}
                    <Link className="underline" href={`/evaluations/${c.runId}`}>
                      run
                    </Link>
                  </>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
