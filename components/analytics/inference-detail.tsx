"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { InferenceActions } from "./inference-actions";
import { Card, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { KeyValueList } from "@/components/ui/key-value";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatUtc } from "@/lib/analytics/format";
import { parseInput, parseOutput, prettyJson } from "@/lib/analytics/inference-view";
import { inferenceDetailSchema, type InferenceDetail } from "@/lib/analytics/schemas";
import { formatValue } from "@/lib/charts/format";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";

/** `name/3` → the prompt version's page. */
function PromptVersionLink({ version }: { version: string }) {
  const slash = version.lastIndexOf("/");
  if (slash <= 0) return <>{version}</>;
  return (
    <Link
      href={`/registry/prompts/${encodeURIComponent(version.slice(0, slash))}/versions/${version.slice(slash + 1)}`}
      className="text-primary hover:underline"
    >
      {version}
    </Link>
  );
}

function Messages({ messages, label }: { messages: { role: string; text: string }[]; label: string }) {
  return (
    <ol className="space-y-2" aria-label={label}>
      {messages.map((m, i) => (
        <li key={i}>
          <p className="text-xs font-medium text-muted-foreground uppercase">{m.role}</p>
          <CodeBlock text={m.text} label={`${m.role} message ${i + 1}`} maxHeight="16rem" />
        </li>
      ))}
    </ol>
  );
}

function Input({ d }: { d: InferenceDetail }) {
  const parsed = parseInput(d.input);
  if (!parsed) return <CodeBlock text={prettyJson(d.input)} label="Input" />;
  // A function call sends variables; the messages the model saw are in the first attempt's request.
  const sent = parsed.messages.length === 0 && d.modelCalls[0] ? parseInput(d.modelCalls[0].request) : undefined;
  return (
    <div className="space-y-2">
      {parsed.messages.length ? <Messages messages={parsed.messages} label="Messages" /> : null}
      {parsed.extra ? <CodeBlock text={parsed.extra} label="Variables and parameters" maxHeight="12rem" /> : null}
      {sent?.messages.length ? (
        <>
          <p className="pt-2 text-xs text-muted-foreground">
            Rendered by {d.promptVersion || "the variant's prompt"}, as sent in attempt #1:
          </p>
          <Messages messages={sent.messages} label="Messages sent to the model" />
        </>
      ) : null}
    </div>
  );
}

function Output({ d }: { d: InferenceDetail }) {
  const parsed = parseOutput(d.output);
  if (!parsed) return <CodeBlock text={d.output || "(empty)"} label="Output" />;
  return (
    <div className="space-y-2">
      <CodeBlock text={parsed.text || "(no text)"} label="Output text" />
      {parsed.toolCalls ? <CodeBlock text={parsed.toolCalls} label="Tool calls" maxHeight="12rem" /> : null}
      {parsed.finishReason ? <p className="text-xs text-muted-foreground">Finish reason: {parsed.finishReason}</p> : null}
    </div>
  );
}

function ModelCalls({ d }: { d: InferenceDetail }) {
  if (d.modelCalls.length === 0)
    return <p className="text-sm text-muted-foreground">No model call recorded (served from the cache, or not logged).</p>;
  return (
    <div className="space-y-3">
      <Table caption="Model calls, in the order they were tried">
        <THead>
          <tr>
            <Th>Attempt</Th>
            <Th>Model / provider</Th>
            <Th>Status</Th>
            <Th className="text-right">Latency</Th>
            <Th className="text-right">TTFT</Th>
            <Th className="text-right">Tokens in / out</Th>
            <Th className="text-right">Cost</Th>
            <Th>Error</Th>
          </tr>
        </THead>
        <TBody>
          {d.modelCalls.map((c, i) => {
            const prev = d.modelCalls[i - 1];
            const kind =
              i === 0 ? "first try" : prev && prev.modelName === c.modelName && prev.providerName === c.providerName ? "retry" : "fallback";
            return (
              <Tr key={c.id}>
                <Td>
                  #{c.attempt + 1} <span className="text-xs text-muted-foreground">{kind}</span>
                </Td>
                <Td>
                  {c.modelName} <span className="text-muted-foreground">via {c.providerName}</span>
                </Td>
                <Td>
                  <Badge tone={c.status === "ok" ? "success" : "danger"}>{c.status}</Badge>
                </Td>
                <Td numeric>{formatValue(c.latencyMs, "ms")}</Td>
                <Td numeric>{formatValue(c.ttftMs, "ms")}</Td>
                <Td numeric>
                  {formatValue(c.inputTokens, "tokens")} / {formatValue(c.outputTokens, "tokens")}
                </Td>
                <Td numeric>{formatValue(c.cost, "usd")}</Td>
                <Td className="max-w-xs break-words text-danger">{c.error}</Td>
              </Tr>
            );
          })}
        </TBody>
      </Table>
      {d.modelCalls.map((c) => (
        <details key={c.id} className="text-sm">
          <summary className="cursor-pointer">Attempt #{c.attempt + 1}: request and response</summary>
          <div className="mt-2 grid gap-2 lg:grid-cols-2">
            <CodeBlock text={prettyJson(c.request)} label={`Request of attempt ${c.attempt + 1}`} maxHeight="16rem" />
            <CodeBlock text={prettyJson(c.response) || "(none)"} label={`Response of attempt ${c.attempt + 1}`} maxHeight="16rem" />
          </div>
        </details>
      ))}
    </div>
  );
}

function Feedback({ d }: { d: InferenceDetail }) {
  if (d.feedback.length === 0) return <p className="text-sm text-muted-foreground">No feedback on this inference or its episode yet.</p>;
  return (
    <Table caption="Feedback on this inference and its episode">
      <THead>
        <tr>
          <Th>Time (UTC)</Th>
          <Th>Metric</Th>
          <Th>On</Th>
          <Th>Value</Th>
          <Th>Source</Th>
        </tr>
      </THead>
      <TBody>
        {d.feedback.map((f) => (
          <Tr key={f.id}>
            <Td className="whitespace-nowrap">{formatUtc(f.timestamp, true)}</Td>
            <Td>{f.metricName}</Td>
            <Td>{f.targetType}</Td>
            <Td className="max-w-lg break-words">
              {f.kind === "boolean" ? (f.value ? "true" : "false") : f.kind === "float" ? formatValue(f.value) : f.text}
            </Td>
            <Td>
              {f.tags["llmops.source"] ?? "—"}
              <JudgeNote tags={f.tags} />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

/** Marks bodies that were not stored as sent (lib/pii): masked (with what was found) or not stored. */
const OUTCOME_TONE: Record<string, "success" | "danger" | "warning" | undefined> = {
  pass: "success",
  blocked: "danger",
  flagged: "warning",
  redacted: "warning",
};

/** Each guardrail check of this inference, in the order they ran. */
function Guardrails({ d }: { d: InferenceDetail }) {
  return (
    <Table caption="Guardrail verdicts">
      <THead>
        <Tr>
          <Th>Guardrail</Th>
          <Th>Kind</Th>
          <Th>Stage</Th>
          <Th>Mode</Th>
          <Th>Outcome</Th>
          <Th>Found</Th>
          <Th className="text-right">Time (ms)</Th>
        </Tr>
      </THead>
      <TBody>
        {d.guardrails.map((g, i) => (
          <Tr key={`${g.name}/${g.stage}/${i}`}>
            <Td>{g.name}</Td>
            <Td>{g.kind}</Td>
            <Td>{g.stage}</Td>
            <Td>{g.mode}</Td>
            <Td>
              <Badge tone={OUTCOME_TONE[g.outcome]}>{g.outcome}</Badge>
            </Td>
            <Td className="max-w-md break-words">{g.detail || "—"}</Td>
            <Td numeric>{g.durationMs.toFixed(3)}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

function StoredNote({ tags }: { tags: Record<string, string> }) {
  const mode = tags["llmops.pii"];
  if (!mode) return null;
  const found = tags["llmops.pii_found"];
  return (
    <span title={mode === "masked" ? `PII masked before storage${found ? `: ${found}` : ""}` : "bodies not stored (store = none)"}>
      <Badge tone="warning">{mode === "masked" ? `PII masked${found ? ` (${found})` : ""}` : "not stored"}</Badge>
    </span>
  );
}

/** A runtime judge's score names its judge version, links the judge's own inference and shows what it cost. */
function JudgeNote({ tags }: { tags: Record<string, string> }) {
  const judge = tags["llmops.judge_inference"];
  if (!judge) return null;
  const cost = Number(tags["llmops.judge_cost"] ?? 0);
  return (
    <div className="text-xs text-muted-foreground">
      judge {tags["llmops.judge_version"] ?? ""} ·{" "}
      <a className="underline" href={`/inferences/${encodeURIComponent(judge)}`}>
        call
      </a>{" "}
      · ${cost.toFixed(6)}
    </div>
  );
}

export function InferenceDetailView({ id }: { id: string }) {
  const query = useQuery({
    queryKey: queryKeys.inference(id),
    queryFn: () => fetchJson(`/api/inferences/${encodeURIComponent(id)}`, inferenceDetailSchema),
  });
  return (
    <QueryState query={query} loading={<Skeleton rows={8} label="Loading the inference" />} errorTitle="Could not load this inference">
      {(d) => (
        <div className="space-y-5">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={d.status === "ok" ? "success" : "danger"}>{d.status}</Badge>
            {d.cached ? <Badge>cached</Badge> : null}
            {d.streamed ? <Badge>streamed</Badge> : null}
            <Link
              href={`/lineage?node=${encodeURIComponent(`inference:${d.id}`)}`}
              className="ml-auto text-sm text-primary hover:underline"
            >
              Lineage of this inference →
            </Link>
          </div>
          {d.error ? (
            <p role="alert" className="rounded-md border border-danger/40 bg-danger/10 p-3 text-sm">
              {d.error}
            </p>
          ) : null}
          <Card>
            <KeyValueList
              items={[
                [
                  "Function",
                  <Link key="f" href={`/functions/${encodeURIComponent(d.functionName)}`} className="text-primary hover:underline">
                    {d.functionName}
                  </Link>,
                ],
                [
                  "Variant",
                  d.functionName.startsWith("llmops::") ? (
                    d.variantName
                  ) : (
                    <Link
                      key="v"
                      href={`/functions/${encodeURIComponent(d.functionName)}/variants/${encodeURIComponent(d.variantName)}`}
                      className="text-primary hover:underline"
                    >
                      {d.variantName}
                    </Link>
                  ),
                ],
                ["Model", `${d.modelName} via ${d.providerName}`],
                ["Prompt version", d.promptVersion ? <PromptVersionLink key="p" version={d.promptVersion} /> : undefined],
                ["Time", formatUtc(d.timestamp, true)],
                ["Latency", formatValue(d.latencyMs, "ms")],
                ["Time to first token", d.ttftMs === null ? undefined : formatValue(d.ttftMs, "ms")],
                ["Tokens", `${formatValue(d.inputTokens, "tokens")} in / ${formatValue(d.outputTokens, "tokens")} out`],
                ["Cost", formatValue(d.cost, "usd")],
                [
                  "Episode",
                  <Link
                    key="e"
                    href={`/traces/sessions/${encodeURIComponent(d.episodeId)}`}
                    className="font-mono text-xs text-primary hover:underline"
                  >
                    {d.episodeId}
                  </Link>,
                ],
                [
                  "Trace",
                  d.traceId ? (
                    <Link key="t" href={`/traces/tr-${d.traceId}`} className="font-mono text-xs text-primary hover:underline">
                      tr-{d.traceId}
                    </Link>
                  ) : undefined,
                ],
                [
                  "Tags",
                  Object.keys(d.tags).length
                    ? Object.entries(d.tags)
                        .map(([k, v]) => `${k}=${v}`)
                        .join(", ")
                    : undefined,
                ],
              ]}
            />
          </Card>
          <div className="grid gap-4 xl:grid-cols-2">
            <Card aria-label="Input">
              <CardTitle className="mb-2">
                Input <StoredNote tags={d.tags} />
              </CardTitle>
              <Input d={d} />
            </Card>
            <Card aria-label="Output">
              <CardTitle className="mb-2">
                Output <StoredNote tags={d.tags} />
              </CardTitle>
              <Output d={d} />
            </Card>
          </div>
          <InferenceActions d={d} />
          {d.guardrails.length ? (
            <Card aria-label="Guardrails">
              <CardTitle className="mb-2">Guardrails ({d.guardrails.length})</CardTitle>
              <Guardrails d={d} />
            </Card>
          ) : null}
          <Card aria-label="Model calls">
            <CardTitle className="mb-2">Model calls ({d.modelCalls.length})</CardTitle>
            <ModelCalls d={d} />
          </Card>
          <Card aria-label="Feedback">
            <CardTitle className="mb-2">Feedback</CardTitle>
            <Feedback d={d} />
          </Card>
          <Card aria-label="Episode">
            <CardTitle className="mb-2">
              Episode ({d.episode.length} inference{d.episode.length === 1 ? "" : "s"})
            </CardTitle>
            <ol className="space-y-1 text-sm">
              {d.episode.map((e) => (
                <li key={e.id}>
                  {e.id === d.id ? (
                    <span aria-current="page" className="font-medium">
                      {formatUtc(e.timestamp, true)} · {e.variantName} · this inference
                    </span>
                  ) : (
                    <Link href={`/inferences/${e.id}`} className="text-primary hover:underline">
                      {formatUtc(e.timestamp, true)} · {e.variantName}
                    </Link>
                  )}
                </li>
              ))}
            </ol>
          </Card>
        </div>
      )}
    </QueryState>
  );
}
