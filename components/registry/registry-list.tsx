"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { Tabs } from "@/components/ui/tabs";
import { useDebouncedCommit } from "@/components/tracking/use-debounced";
import { formatTime } from "@/lib/experiments/format";
import { queryKeys } from "@/lib/query/keys";
import { fetchRegistryList } from "@/lib/registry/api";
import { registryListState, type RegistryListState } from "@/lib/registry/dashboard-schemas";
import { useSearchState } from "@/lib/url/use-search-state";

export function useRegistryList(state: RegistryListState) {
  return useQuery({ queryKey: queryKeys.registry(state), queryFn: () => fetchRegistryList(state), placeholderData: keepPreviousData });
}

export const registeredHref = (kind: "models" | "prompts", name: string, version?: number) =>
  `/registry/${kind}/${encodeURIComponent(name)}${version === undefined ? "" : `/versions/${version}`}`;

/** Prompts and models of the registry, each with its latest version and aliases. */
export function RegistryList() {
  const [state, update] = useSearchState(registryListState, { shallow: true });
  const list = useRegistryList(state);
  const [search, setSearch, flushSearch] = useDebouncedCommit(state.q, (q) => update({ q }));
  return (
    <Tabs
      label="Registry"
      selected={state.kind}
      onSelect={(kind) => update({ kind: kind === "prompts" ? null : kind })}
      tabs={[
        { key: "prompts", label: "Prompts" },
        { key: "models", label: "Models" },
      ]}
    >
      <Field label={`Search ${state.kind}`} className="mb-4 max-w-md">
        {(props) => (
          <Input
            {...props}
            type="search"
            value={search}
            placeholder="Name or description contains…"
            onChange={(e) => setSearch(e.target.value)}
            onBlur={flushSearch}
          />
        )}
      </Field>
      <QueryState query={list} errorTitle={`Could not load the ${state.kind}`}>
        {({ entries }) =>
          entries.length === 0 ? (
            <EmptyState title={state.q ? `No ${state.kind} match` : `No ${state.kind} registered yet`}>
              {state.q ? (
                <p>Clear the search to see every entry.</p>
              ) : state.kind === "prompts" ? (
                <p>
                  Register one with <code>mlflow.genai.register_prompt()</code>, or give a gateway variant inline templates in{" "}
                  <code>llmops.toml</code>.
                </p>
              ) : (
                <p>
                  Register a model from a run with <code>mlflow.register_model(&quot;runs:/&lt;run_id&gt;/model&quot;, name)</code>.
                </p>
              )}
            </EmptyState>
          ) : (
            <>
              <p role="status" className="mb-2 text-sm text-muted-foreground">
                {entries.length} {state.kind === "prompts" ? "prompt" : "model"}
                {entries.length === 1 ? "" : "s"}
              </p>
              <Table caption={state.kind === "prompts" ? "Prompts" : "Models"}>
                <THead>
                  <tr>
                    <Th>Name</Th>
                    <Th className="text-right">Latest</Th>
                    <Th>Aliases</Th>
                    <Th>Updated</Th>
                  </tr>
                </THead>
                <TBody>
                  {entries.map((e) => (
                    <Tr key={e.name}>
                      <Td>
                        <Link href={registeredHref(state.kind, e.name)} className="font-medium text-primary hover:underline">
                          {e.name}
                        </Link>
                        {e.description ? (
                          <p className="max-w-xl truncate text-xs text-muted-foreground" title={e.description}>
                            {e.description}
                          </p>
                        ) : null}
                      </Td>
                      <Td numeric>{e.latestVersion === null ? "—" : `v${e.latestVersion}`}</Td>
                      <Td>
                        <span className="flex flex-wrap gap-1">
                          {e.aliases.length
                            ? e.aliases.map((a) => (
                                <Badge key={a.alias} tone={a.alias === "production" ? "success" : "neutral"}>
                                  @{a.alias} → v{a.version}
                                </Badge>
                              ))
                            : "—"}
                        </span>
                      </Td>
                      <Td className="whitespace-nowrap tabular-nums">{formatTime(e.lastUpdated)}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            </>
          )
        }
      </QueryState>
    </Tabs>
  );
}
