"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { z } from "zod";
import { Badge } from "@/components/ui/badge";
import { CodeBlock } from "@/components/ui/code-block";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Select } from "@/components/ui/field";
import { KeyValueList } from "@/components/ui/key-value";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { formatTime } from "@/lib/experiments/format";
import { queryKeys } from "@/lib/query/keys";
import { fetchRegistered } from "@/lib/registry/api";
import type { RegisteredReply, VersionView } from "@/lib/registry/dashboard-schemas";
import { useSearchState } from "@/lib/url/use-search-state";
import { AliasMover } from "./alias-mover";
import { PromptDiff } from "./prompt-diff";
import { registeredHref } from "./registry-list";

export function useRegistered(name: string) {
  return useQuery({ queryKey: queryKeys.registeredModel(name), queryFn: () => fetchRegistered(name) });
}

const diffState = z.object({ a: z.coerce.number().int().positive().optional(), b: z.coerce.number().int().positive().optional() });

export function Serving({ version }: { version: VersionView }) {
  if (version.servedBy.length === 0 && version.observed.length === 0) return <span className="text-muted-foreground">not served</span>;
  return (
    <ul className="space-y-0.5">
      {version.servedBy.map((s) => (
        <li key={`${s.functionName}/${s.variantName}`}>
          <Link href={`/functions/${encodeURIComponent(s.functionName)}`} className="text-primary underline">
            {s.functionName} / {s.variantName}
          </Link>{" "}
          <span className="text-xs text-muted-foreground">({s.via})</span>
        </li>
      ))}
      {version.observed
        .filter((o) => !version.servedBy.some((s) => s.functionName === o.functionName && s.variantName === o.variantName))
        .map((o) => (
          <li key={`seen-${o.functionName}/${o.variantName}`} className="text-xs text-muted-foreground">
            {o.functionName} / {o.variantName}: seen serving it (not configured now)
          </li>
        ))}
      {version.observed.length ? (
        <li className="text-xs text-muted-foreground">
          {version.observed.reduce((n, o) => n + o.inferences, 0).toLocaleString("en")} inferences in 30 days
        </li>
      ) : null}
    </ul>
  );
}

function Body({ data }: { data: RegisteredReply }) {
  const [diff, update] = useSearchState(diffState, { shallow: true });
  const isPrompt = data.kind === "prompts";
  const numbers = data.versions.map((v) => v.version);
  const right = data.versions.find((v) => v.version === diff.b) ?? data.versions[0];
  const left =
    data.versions.find((v) => v.version === diff.a) ?? data.versions.find((v) => right && v.version < right.version) ?? data.versions[1];
  return (
    <div className="space-y-8">
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <KeyValueList
          items={[
            ["Description", data.description ?? undefined],
            ["Created", formatTime(data.creationTime)],
            ["Updated", formatTime(data.lastUpdated)],
            ["Versions", String(data.versions.length)],
            ...data.tags.map((t): [string, string] => [t.key, t.value]),
          ]}
        />
        <AliasMover name={data.name} kind={data.kind} aliases={data.aliases} versions={numbers} />
      </div>
      {data.servingNote ? (
        <p role="note" className="rounded-md border border-warning/50 bg-warning/10 p-3 text-sm">
          {data.servingNote}
        </p>
      ) : null}
      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading" className="mb-3 text-lg font-semibold">
          Versions
        </h2>
        {data.versions.length === 0 ? (
          <EmptyState title="No versions yet">
            <p>
              {isPrompt
                ? "Register a version of this prompt with an MLflow client or the gateway's config."
                : 'Create a version from a run: mlflow.register_model("runs:/<run_id>/model", name).'}
            </p>
          </EmptyState>
        ) : (
          <Table caption="Versions">
            <THead>
              <tr>
                <Th>Version</Th>
                <Th>Aliases</Th>
                <Th>Created</Th>
                <Th>Source run</Th>
                {isPrompt ? <Th>Variables</Th> : <Th>Stage</Th>}
                {isPrompt ? <Th>Served by</Th> : null}
              </tr>
            </THead>
            <TBody>
              {data.versions.map((v) => (
                <Tr key={v.version}>
                  <Td>
                    <Link href={registeredHref(data.kind, data.name, v.version)} className="font-medium text-primary hover:underline">
                      v{v.version}
                    </Link>
                    {v.description ? <p className="text-xs text-muted-foreground">{v.description}</p> : null}
                  </Td>
                  <Td>
                    <span className="flex flex-wrap gap-1">
                      {v.aliases.length
                        ? v.aliases.map((a) => (
                            <Badge key={a} tone={a === "production" ? "success" : "neutral"}>
                              @{a}
                            </Badge>
                          ))
                        : "—"}
                    </span>
                  </Td>
                  <Td className="whitespace-nowrap tabular-nums">{formatTime(v.creationTime)}</Td>
                  <Td>
                    {v.run ? (
                      <Link href={`/experiments/${v.run.experimentId}/runs/${v.run.runId}`} className="text-primary underline">
                        {v.run.runName}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </Td>
                  {isPrompt ? (
                    <Td className="font-mono text-xs">{v.variables.length ? v.variables.map((x) => `{{${x}}}`).join(" ") : "—"}</Td>
                  ) : (
                    <Td>{v.stage}</Td>
                  )}
                  {isPrompt ? (
                    <Td className="text-sm">
                      <Serving version={v} />
                    </Td>
                  ) : null}
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </section>
      {isPrompt && left && right && left.version !== right.version ? (
        <section aria-labelledby="diff-heading" className="space-y-3">
          <div className="flex flex-wrap items-end justify-between gap-3">
            <h2 id="diff-heading" className="text-lg font-semibold">
              Compare versions
            </h2>
            <div className="flex gap-3">
              <Field label="Before">
                {(props) => (
                  <Select {...props} value={left.version} onChange={(e) => update({ a: e.target.value })}>
                    {numbers.map((n) => (
                      <option key={n} value={n}>
                        v{n}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field label="After">
                {(props) => (
                  <Select {...props} value={right.version} onChange={(e) => update({ b: e.target.value })}>
                    {numbers.map((n) => (
                      <option key={n} value={n}>
                        v{n}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            </div>
          </div>
          <PromptDiff
            left={{ label: `v${left.version}`, text: left.template ?? "", variables: left.variables }}
            right={{ label: `v${right.version}`, text: right.template ?? "", variables: right.variables }}
          />
        </section>
      ) : isPrompt && data.versions[0]?.template ? (
        <CodeBlock label={`v${data.versions[0].version} template`} text={data.versions[0].template} />
      ) : null}
    </div>
  );
}

export function RegisteredView({ name }: { name: string }) {
  const query = useRegistered(name);
  return (
    <QueryState query={query} errorTitle={`Could not load ${name}`}>
      {(data) => <Body data={data} />}
    </QueryState>
  );
}
