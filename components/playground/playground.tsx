"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Select, Textarea } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";
import { fetchRegistered, fetchRegistryList } from "@/lib/registry/api";
import { catalogReply, type CatalogReply, type PlaygroundTarget } from "@/lib/playground/schemas";
import { decodeTarget, encodeTarget, itemVariables, playgroundState, promptName, promptVersionNumber } from "@/lib/playground/state";
import { useSearchState } from "@/lib/url/use-search-state";
import { DatasetItems } from "./dataset-items";
import { ResultColumn, type ColumnRun } from "./result-column";
import { streamRun } from "./run-stream";

type Fn = CatalogReply["functions"][number];

export const fetchCatalog = () => fetchJson("/api/playground/catalog", catalogReply);

/** A prompt target's variables, from the registry (the version named, else the newest). */
function usePromptVariables(target: PlaygroundTarget | undefined): string[] {
  const name = target && "prompt" in target ? promptName(target.prompt) : "";
  const query = useQuery({ queryKey: queryKeys.registeredModel(name), queryFn: () => fetchRegistered(name), enabled: !!name });
  if (!name || !query.data) return [];
  const wanted = promptVersionNumber((target as { prompt: string }).prompt);
  const version = query.data.versions.find((v) => v.version === wanted) ?? query.data.versions[0];
  return version?.variables ?? [];
}

function targetVariables(fn: Fn, target: PlaygroundTarget | undefined, promptVars: string[]): string[] {
  if (!target) return [];
  if ("variant" in target) return fn.variants.find((v) => v.name === target.variant)?.variables ?? [];
  return promptVars;
}

function TargetPicker({
  label,
  fn,
  value,
  prompts,
  onChange,
}: {
  label: string;
  fn: Fn;
  value: PlaygroundTarget | undefined;
  prompts: { name: string; latestVersion: number | null }[];
  onChange: (t: PlaygroundTarget | undefined) => void;
}) {
  const mode = value && "prompt" in value ? "prompt" : "variant";
  const listId = `prompts-${label.replace(/\W/g, "")}`;
  return (
    <fieldset className="space-y-2 rounded-lg border border-border p-3">
      <legend className="px-1 text-sm font-semibold">{label}</legend>
      <Field label="Run">
        {(props) => (
          <Select
            {...props}
            value={mode === "variant" ? ((value as { variant: string } | undefined)?.variant ?? "") : "__prompt"}
            onChange={(e) => {
              const v = e.target.value;
              if (v === "__prompt") {
                const first = fn.variants.find((x) => x.promptKind !== "none");
                onChange({ prompt: first?.prompt && first.promptKind === "inline" ? first.prompt : (prompts[0]?.name ?? "") });
              } else onChange(v ? { variant: v } : undefined);
            }}
          >
            <option value="">Choose…</option>
            {fn.variants.map((v) => (
              <option key={v.name} value={v.name}>
                Variant {v.name} ({v.model})
              </option>
            ))}
            <option value="__prompt">A prompt version…</option>
          </Select>
        )}
      </Field>
      {value && "prompt" in value ? (
        <div className="flex flex-wrap gap-2">
          <Field label="Prompt version" hint="name/3, name@alias, or name for the newest" className="min-w-56 flex-1">
            {(props) => (
              <>
                <input
                  {...props}
                  list={listId}
                  className="w-full rounded-md border border-border bg-card px-2.5 py-1.5 font-mono text-sm"
                  value={value.prompt}
                  onChange={(e) => onChange({ ...value, prompt: e.target.value })}
                />
                <datalist id={listId}>
                  {prompts.map((p) => (
                    <option key={p.name} value={p.latestVersion ? `${p.name}/${p.latestVersion}` : p.name} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <Field label="Model and parameters of">
            {(props) => (
              <Select {...props} value={value.base ?? ""} onChange={(e) => onChange({ ...value, base: e.target.value || undefined })}>
                <option value="">the main variant</option>
                {fn.variants.map((v) => (
                  <option key={v.name} value={v.name}>
                    {v.name} ({v.model})
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
      ) : value && "variant" in value ? (
        <VariantFacts fn={fn} name={value.variant} />
      ) : null}
    </fieldset>
  );
}

function VariantFacts({ fn, name }: { fn: Fn; name: string }) {
  const v = fn.variants.find((x) => x.name === name);
  if (!v)
    return (
      <p className="text-sm text-danger">
        {fn.name} has no variant {name}.
      </p>
    );
  return (
    <p className="text-xs text-muted-foreground">
      Model {v.model} · weight {v.weight} · prompt {v.prompt ?? "none"}
      {Object.keys(v.params).length
        ? ` · ${Object.entries(v.params)
            .map(([k, x]) => `${k} ${JSON.stringify(x)}`)
            .join(", ")}`
        : ""}{" "}
      ·{" "}
      <Link href={`/functions/${encodeURIComponent(fn.name)}/variants/${encodeURIComponent(v.name)}`} className="text-primary underline">
        variant page
      </Link>
    </p>
  );
}

function Workbench({ catalog }: { catalog: CatalogReply }) {
  const [state, update] = useSearchState(playgroundState, { shallow: true });
  const prompts = useQuery({
    queryKey: queryKeys.registry({ kind: "prompts", q: "" }),
    queryFn: () => fetchRegistryList({ kind: "prompts", q: "" }),
  });
  const opened = useQuery({
    queryKey: queryKeys.registeredModel(state.prompt),
    queryFn: () => fetchRegistered(state.prompt),
    enabled: !!state.prompt,
  });
  // A prompt opened from its page runs on the function whose variant serves it, else the first function.
  const servingFn = state.prompt ? opened.data?.versions[0]?.servedBy[0]?.functionName : undefined;
  const fn =
    catalog.functions.find((f) => f.name === state.fn) ?? catalog.functions.find((f) => f.name === servingFn) ?? catalog.functions[0];
  const newest = opened.data?.versions[0]?.version;
  const a =
    decodeTarget(state.a) ??
    (state.prompt
      ? { prompt: newest ? `${state.prompt}/${newest}` : state.prompt }
      : fn?.variants[0]
        ? { variant: fn.variants[0].name }
        : undefined);
  const b = decodeTarget(state.b);
  const [values, setValues] = useState<Record<string, string>>({});
  const [runs, setRuns] = useState<{ a?: ColumnRun; b?: ColumnRun }>({});
  const aborts = useRef<AbortController[]>([]);
  const promptVarsA = usePromptVariables(a);
  const promptVarsB = usePromptVariables(b);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => () => aborts.current.forEach((c) => c.abort()), []);
  if (!fn) return <p className="text-sm">Declare a function in llmops.toml to try it here.</p>;
  const variables = [...new Set([...targetVariables(fn, a, promptVarsA), ...(b ? targetVariables(fn, b, promptVarsB) : [])])];
  const missing = variables.filter((v) => !values[v]?.trim());
  const running = Object.values(runs).some((r) => r && !r.done && !r.error);

  const run = () => {
    aborts.current.forEach((c) => c.abort());
    aborts.current = [];
    const sides = (
      b
        ? [
            ["a", a],
            ["b", b],
          ]
        : [["a", a]]
    ) as ["a" | "b", PlaygroundTarget | undefined][];
    const vars = Object.fromEntries(variables.map((v) => [v, values[v] ?? ""]));
    setRuns({});
    for (const [side, target] of sides) {
      if (!target) continue;
      const controller = new AbortController();
      aborts.current.push(controller);
      const patch = (f: (r: ColumnRun) => ColumnRun) =>
        setRuns((all) => ({ ...all, [side]: f(all[side] ?? { text: "", variables: vars, target }) }));
      patch((r) => r);
      streamRun(
        { function: fn.name, target, variables: vars, side: b ? side : undefined },
        (event) => {
          if (event.type === "start") patch((r) => ({ ...r, start: event }));
          if (event.type === "delta") patch((r) => ({ ...r, text: r.text + event.content }));
          if (event.type === "done") patch((r) => ({ ...r, done: event }));
          if (event.type === "error") patch((r) => ({ ...r, error: event.message }));
        },
        controller.signal,
      ).catch((error: unknown) => {
        if (!controller.signal.aborted) patch((r) => ({ ...r, error: (error as Error).message }));
      });
    }
  };

  return (
    <div className="space-y-6">
      <form
        ref={formRef}
        aria-label="Playground"
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (!missing.length) run();
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            formRef.current?.requestSubmit();
          }
        }}
      >
        <div className="flex flex-wrap items-end gap-4">
          <Field label="Function">
            {(props) => (
              <Select {...props} value={fn.name} onChange={(e) => update({ fn: e.target.value, a: null, b: null, prompt: null })}>
                {catalog.functions.map((f) => (
                  <option key={f.name}>{f.name}</option>
                ))}
              </Select>
            )}
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={!!b}
              onChange={(e) =>
                update({ b: e.target.checked ? encodeTarget({ variant: fn.variants[1]?.name ?? fn.variants[0]!.name }) : null })
              }
            />
            Compare two side by side
          </label>
        </div>
        <div className={b ? "grid gap-4 lg:grid-cols-2" : "grid gap-4"}>
          <TargetPicker
            label={b ? "A" : "What to run"}
            fn={fn}
            value={a}
            prompts={prompts.data?.entries ?? []}
            onChange={(t) => update({ a: t ? encodeTarget(t) : null, prompt: null })}
          />
          {b ? (
            <TargetPicker
              label="B"
              fn={fn}
              value={b}
              prompts={prompts.data?.entries ?? []}
              onChange={(t) => update({ b: t ? encodeTarget(t) : null })}
            />
          ) : null}
        </div>
        <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
          <fieldset className="space-y-3">
            <legend className="mb-1 text-sm font-semibold">Inputs</legend>
            {variables.length === 0 ? <p className="text-sm text-muted-foreground">This prompt takes no variables.</p> : null}
            {variables.map((v) => (
              <Field key={v} label={`{{${v}}} (required)`}>
                {(props) => (
                  <Textarea
                    {...props}
                    required
                    aria-required
                    rows={v === "ticket" || v.length > 6 ? 4 : 2}
                    value={values[v] ?? ""}
                    onChange={(e) => setValues({ ...values, [v]: e.target.value })}
                  />
                )}
              </Field>
            ))}
            <div className="flex flex-wrap items-center gap-3">
              <Button type="submit" variant="primary" disabled={running || missing.length > 0 || !a}>
                {running ? "Running…" : b ? "Run both" : "Run"}
              </Button>
              <span className="text-xs text-muted-foreground">
                Ctrl+Enter runs. Each run is a recorded inference tagged llmops.source=playground.
              </span>
              {missing.length ? (
                <span className="text-xs text-muted-foreground">Fill in {missing.map((m) => `{{${m}}}`).join(", ")}.</span>
              ) : null}
            </div>
          </fieldset>
          <DatasetItems
            dataset={state.dataset}
            onDataset={(d) => update({ dataset: d || null })}
            onUse={(input) => setValues((prev) => ({ ...prev, ...itemVariables(input) }))}
          />
        </div>
      </form>
      {runs.a || runs.b ? (
        <div className={b ? "grid gap-4 lg:grid-cols-2" : "grid gap-4"}>
          {(["a", "b"] as const).map((side) =>
            runs[side] ? (
              <ResultColumn key={side} label={b ? side.toUpperCase() : "Answer"} fn={fn.name} run={runs[side]} dataset={state.dataset} />
            ) : null,
          )}
        </div>
      ) : null}
    </div>
  );
}

export function Playground() {
  const catalog = useQuery({ queryKey: ["playground", "catalog"], queryFn: fetchCatalog });
  return (
    <QueryState query={catalog} errorTitle="Could not load the gateway's functions">
      {(data) => <Workbench catalog={data} />}
    </QueryState>
  );
}
