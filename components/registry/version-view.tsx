"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { CodeBlock } from "@/components/ui/code-block";
import { EmptyState } from "@/components/ui/empty-state";
import { KeyValueList } from "@/components/ui/key-value";
import { QueryState } from "@/components/ui/query-state";
import { formatTime } from "@/lib/experiments/format";
import type { RegisteredReply } from "@/lib/registry/dashboard-schemas";
import { PromptDiff } from "./prompt-diff";
import { Serving, useRegistered } from "./registered-view";
import { registeredHref } from "./registry-list";

function Body({ data, version }: { data: RegisteredReply; version: number }) {
  const v = data.versions.find((x) => x.version === version);
  if (!v) {
    return (
      <EmptyState title={`${data.name} has no version ${version}`}>
        <p>
          See{" "}
          <Link href={registeredHref(data.kind, data.name)} className="underline">
            all versions
          </Link>
          .
        </p>
      </EmptyState>
    );
  }
  const previous = data.versions.find((x) => x.version < version);
  const isPrompt = data.kind === "prompts";
  return (
    <div className="space-y-6">
      <KeyValueList
        items={[
          [
            "Aliases",
            v.aliases.length ? (
              <span className="flex gap-1">
                {v.aliases.map((a) => (
                  <Badge key={a} tone={a === "production" ? "success" : "neutral"}>
                    @{a}
                  </Badge>
                ))}
              </span>
            ) : undefined,
          ],
          ["Description", v.description ?? undefined],
          ["Created", formatTime(v.creationTime)],
          [
            "Source run",
            v.run ? (
              <Link href={`/experiments/${v.run.experimentId}/runs/${v.run.runId}`} className="text-primary underline">
                {v.run.runName}
              </Link>
            ) : undefined,
          ],
          ["Source", v.source ?? undefined],
          ["Stage", isPrompt ? undefined : v.stage],
          ["Status", v.status],
          ["Variables", isPrompt ? (v.variables.length ? v.variables.map((x) => `{{${x}}}`).join(" ") : "none") : undefined],
          ["Served by", isPrompt ? <Serving key="s" version={v} /> : undefined],
          ...v.tags.map((t): [string, string] => [t.key, t.value]),
        ]}
      />
      {isPrompt && v.template !== null ? (
        <section aria-labelledby="template-heading">
          <h2 id="template-heading" className="mb-2 text-lg font-semibold">
            Template
          </h2>
          <CodeBlock label={`v${v.version} template`} text={v.template} />
        </section>
      ) : null}
      {isPrompt && previous && previous.template !== null && v.template !== null ? (
        <section aria-labelledby="changes-heading">
          <h2 id="changes-heading" className="mb-2 text-lg font-semibold">
            Changes since v{previous.version}
          </h2>
          <PromptDiff
            left={{ label: `v${previous.version}`, text: previous.template, variables: previous.variables }}
            right={{ label: `v${v.version}`, text: v.template, variables: v.variables }}
          />
        </section>
      ) : null}
    </div>
  );
}

export function VersionView({ name, version }: { name: string; version: number }) {
  const query = useRegistered(name);
  return (
    <QueryState query={query} errorTitle={`Could not load ${name}`}>
      {(data) => <Body data={data} version={version} />}
    </QueryState>
  );
}
