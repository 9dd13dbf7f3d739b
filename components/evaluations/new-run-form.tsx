"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { datasetsApi } from "@/lib/datasets/api-client";
import { evaluationsApi } from "@/lib/evaluations/api-client";
import type { CreateRunInput } from "@/lib/evaluations/schemas";

/** Starts a run: a function, its variants (and optionally a prompt version or model to try), a dataset, evaluators. */
export function NewRunForm() {
  const router = useRouter();
  const setup = useQuery({
    queryKey: ["evaluations", "setup"],
    queryFn: async () => ({ fns: await evaluationsApi.functions(), datasets: await datasetsApi.list() }),
  });
  // `?function=&variant=&prompt=&dataset=` pre-fill the form (the playground's "Start an evaluation").
  const search = useSearchParams();
  const [fn, setFn] = useState(search.get("function") ?? "");
  const [variants, setVariants] = useState<string[]>(search.getAll("variant"));
  const [prompt, setPrompt] = useState(search.get("prompt") ?? "");
  const [dataset, setDataset] = useState(search.get("dataset") ?? "");
  const [evaluators, setEvaluators] = useState("[]");
  const [judge, setJudge] = useState("");
  const [thresholds, setThresholds] = useState("");
  const [concurrency, setConcurrency] = useState(8);
  const [problem, setProblem] = useState<string>();
  const create = useMutation({
    mutationFn: (body: CreateRunInput) => evaluationsApi.create(body),
    onSuccess: (run) => router.push(`/evaluations/${run.id}`),
  });
  return (
    <QueryState query={setup} errorTitle="Could not load functions and datasets">
      {({ fns, datasets }) => {
        const chosen = fns.functions.find((f) => f.name === (fn || fns.functions[0]?.name));
        const submit = () => {
          setProblem(undefined);
          let parsed: CreateRunInput["evaluators"];
          try {
            parsed = JSON.parse(evaluators || "[]") as CreateRunInput["evaluators"];
          } catch {
            setProblem("Evaluators must be a JSON array");
            return;
          }
          const limits = thresholds
            .split(/[\n,]+/)
            .map((t) => t.trim())
            .filter(Boolean)
            .map((t) => /^([^/\s]+)\/(mean|pass_rate)\s*(>=|<=)\s*(-?[\d.]+)$/.exec(t));
          if (limits.some((m) => !m)) {
            setProblem("Thresholds look like helpful/mean>=0.8, one per line");
            return;
          }
          const candidates = [...variants.map((variant) => ({ variant })), ...(prompt.trim() ? [{ prompt: prompt.trim() }] : [])];
          create.mutate({
            function: chosen!.name,
            dataset: { name: dataset || datasets[0]!.name },
            candidates,
            evaluators: parsed,
            ...(judge ? { judge: { model: judge } } : {}),
            thresholds: limits.map((m) => ({
              evaluator: m![1]!,
              stat: m![2] as "mean" | "pass_rate",
              op: m![3] as ">=" | "<=",
              value: Number(m![4]),
            })),
            concurrency,
          });
        };
        if (!chosen || !datasets.length) return <p className="text-sm">Declare a function in llmops.toml and create a dataset first.</p>;
        return (
          <form
            className="grid max-w-2xl gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <Field label="Function">
              {(props) => (
                <Select
                  {...props}
                  value={chosen.name}
                  onChange={(e) => {
                    setFn(e.target.value);
                    setVariants([]);
                  }}
                >
                  {fns.functions.map((f) => (
                    <option key={f.name}>{f.name}</option>
                  ))}
                </Select>
              )}
            </Field>
            <fieldset className="flex flex-wrap gap-3 text-sm">
              <legend className="mb-1 text-xs font-medium text-muted-foreground">Variants to run</legend>
              {chosen.variants.map((v) => (
                <label key={v} className="flex items-center gap-1">
                  <input
                    type="checkbox"
                    checked={variants.includes(v)}
                    onChange={(e) => setVariants((p) => (e.target.checked ? [...p, v] : p.filter((x) => x !== v)))}
                  />
                  {v}
                </label>
              ))}
            </fieldset>
            <Field
              label="Also try a prompt version (optional)"
              hint="prompts:/name/3 or prompts:/name@staging, run as an extra variant without editing llmops.toml"
            >
              {(props) => (
                <Input {...props} value={prompt} onChange={(e) => setPrompt(e.target.value)} placeholder="prompts:/summarize.concise/2" />
              )}
            </Field>
            <Field label="Dataset (latest version)">
              {(props) => (
                <Select {...props} value={dataset || datasets[0]!.name} onChange={(e) => setDataset(e.target.value)}>
                  {datasets.map((d) => (
                    <option key={d.name} value={d.name}>
                      {d.name} (v{d.latest}, {d.items} items)
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field
              label="Evaluators (JSON)"
              hint={`The function's own: ${chosen.evaluators.map((e) => `${e.name} (${e.type})`).join(", ") || "none"}. Add more by promptfoo's names, e.g. [{"name":"polite","type":"icontains","value":"please"}]`}
            >
              {(props) => <Textarea {...props} rows={3} value={evaluators} onChange={(e) => setEvaluators(e.target.value)} />}
            </Field>
            <Field label="Judge model for judge evaluators (optional)">
              {(props) => (
                <Select {...props} value={judge} onChange={(e) => setJudge(e.target.value)}>
                  <option value="">none</option>
                  {fns.models.map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label="Thresholds (optional)" hint="One per line: helpful/mean>=0.8 or */pass_rate>=0.9">
              {(props) => <Textarea {...props} rows={2} value={thresholds} onChange={(e) => setThresholds(e.target.value)} />}
            </Field>
            <Field label="Concurrency">
              {(props) => (
                <Input
                  {...props}
                  type="number"
                  min={1}
                  max={256}
                  value={concurrency}
                  onChange={(e) => setConcurrency(Number(e.target.value))}
                />
              )}
            </Field>
            {problem || create.error ? (
              <p role="alert" className="text-sm text-danger">
                {problem ?? create.error?.message}
              </p>
            ) : null}
            <div>
              <Button type="submit" variant="primary" disabled={create.isPending || (!variants.length && !prompt.trim())}>
                Start run
              </Button>
            </div>
          </form>
        );
      }}
    </QueryState>
  );
}
