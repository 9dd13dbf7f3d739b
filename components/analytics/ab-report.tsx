"use client";

import { useQuery } from "@tanstack/react-query";
import { MetricLineChart } from "@/components/charts/line-chart";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { abReportSchema, type AbReport } from "@/lib/analytics/ab";
import { designLabel, formatDiff, formatEstimate, formatP, headlineTone, historySeries, VERDICT_TONE } from "@/lib/analytics/ab-view";
import { formatPercentChange, formatUtc } from "@/lib/analytics/format";
import { abApiUrl, abPageState } from "@/lib/analytics/page-state";
import { formatValue } from "@/lib/charts/format";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";
import { useSearchState } from "@/lib/url/use-search-state";
import { cellEffect } from "@/lib/analytics/scorecard";
import { UNIT_LABEL, intervalKind } from "@/lib/stats/effect";
import { AbBoundaries, AbPower, AbWeights } from "./ab-design";
import { AbScorecard } from "./ab-scorecard";
import { RangePicker } from "./range-picker";

const TONE_CLASS = {
  success: "border-success/50 bg-success/10",
  danger: "border-danger/50 bg-danger/10",
  warning: "border-warning/60 bg-warning/10",
  neutral: "border-border bg-muted/40",
};

function Srm({ title, srm, why }: { title: string; srm: AbReport["srm"]; why: string }) {
  if (!srm)
    return (
      <p className="text-sm text-muted-foreground">
        {title}: not checked ({why}).
      </p>
    );
  return (
    <p className="text-sm">
      {title}: <Badge tone={srm.mismatch ? "danger" : "success"}>{srm.mismatch ? "mismatch" : "ok"}</Badge> p = {formatP(srm.pValue)} ·{" "}
      {srm.variants
        .map((v, i) => `${v} ${formatValue(srm.observed[i] ?? 0, "count")} (expected ${formatValue(srm.expected[i] ?? 0, "count")})`)
        .join(", ")}
    </p>
  );
}

export function AbResults({ report }: { report: AbReport }) {
  const boolean = report.metric.type === "boolean";
  const tone = headlineTone(report);
  const planned = report.design.kind === "planned";
  const adaptive = report.allocation.kind === "adaptive";
  const primary = report.scorecard.find((r) => r.group === "primary");
  const weightsName = adaptive ? "the allocation's weights" : "configured weights";
  return (
    <div className="space-y-5">
      <section aria-label="Verdict" className={`rounded-lg border p-5 ${TONE_CLASS[tone]}`}>
        <p className="text-xs font-medium text-muted-foreground">
          <span className="tracking-wide uppercase">Verdict</span> · <span data-testid="ab-design">{designLabel(report)}</span>, α ={" "}
          {report.alpha}
          {report.design.configured ? "" : " (the default; choose a design per metric in llmops.toml)"}
        </p>
        <p role="status" data-testid="ab-verdict" className="mt-1 text-lg font-semibold">
          {report.headline}
        </p>
        <p className="mt-2 text-xs text-muted-foreground">
          {report.metric.name}: {boolean ? "rate of true" : "mean"},{" "}
          {report.metric.optimize === "max" ? "higher is better" : "lower is better"}, one observation per {report.metric.level}
          {report.metric.declared ? "" : " (settings inferred from the feedback: declare the metric in the gateway's config)"}.{" "}
          {report.looks} daily look{report.looks === 1 ? "" : "s"} from {formatUtc(report.from)} to {formatUtc(report.to)}
          {report.design.start !== null
            ? " (from the experiment's configured start)"
            : planned
              ? " (looks count from the start of the range: set the experiment's start in llmops.toml to pin its first day)"
              : ""}
          .{report.clustered ? " Inferences of one episode are analysed together (clustered variance)." : ""}
          {adaptive ? ` Traffic follows ${report.allocation.metric} (adaptive allocation).` : ""}
        </p>
      </section>
      <Table caption={`A/B results for ${report.metric.name} against ${report.control}`}>
        <THead>
          <tr>
            <Th>Variant</Th>
            <Th className="text-right">Samples</Th>
            <Th className="text-right">{boolean ? "Rate" : "Mean"} [95% CI]</Th>
            <Th className="text-right">
              Effect vs {report.control}
              <span className="block text-xs font-normal text-muted-foreground" data-testid="ab-effect-kind">
                {UNIT_LABEL[primary?.scale ?? "absolute"]}, {intervalKind(report.design.kind, report.alpha)}
              </span>
            </Th>
            <Th className="text-right">{planned ? "Nominal p" : "Always-valid p"}</Th>
            <Th>Verdict</Th>
          </tr>
        </THead>
        <TBody>
          {report.variants.map((v) => {
            const cell = primary?.cells.find((c) => c.variant === v.name);
            const effect = primary && cell ? cellEffect(primary, cell) : null;
            return (
              <Tr key={v.name}>
                <Td className="font-medium">
                  {v.name} {v.isControl ? <Badge>control</Badge> : null}
                </Td>
                <Td numeric>{formatValue(v.n, "count")}</Td>
                <Td numeric>{formatEstimate(v.estimate, v.ciLow, v.ciHigh, boolean)}</Td>
                <Td numeric data-testid={v.isControl ? undefined : "ab-effect"}>
                  {v.isControl
                    ? "—"
                    : (effect ?? (
                        <span className="text-xs text-muted-foreground">too little data (fewer than {report.minSamples} per variant)</span>
                      ))}
                </Td>
                <Td numeric>{v.isControl || effect === null ? "—" : formatP(v.sequentialPValue)}</Td>
                <Td>
                  {v.verdict ? (
                    <span title={v.verdictText ?? undefined}>
                      <Badge tone={VERDICT_TONE[v.verdict]}>{v.verdict}</Badge>
                    </span>
                  ) : v.isControl ? (
                    "—"
                  ) : (
                    <span className="text-xs text-muted-foreground">no observations yet</span>
                  )}
                </Td>
              </Tr>
            );
          })}
        </TBody>
      </Table>
      <AbScorecard report={report} />
      <details className="text-sm">
        <summary className="cursor-pointer text-muted-foreground">
          Fixed-horizon reference (valid only at a sample size fixed in advance)
        </summary>
        <Table caption={`Fixed-horizon tests of ${report.metric.name}, for reference`} className="mt-2">
          <THead>
            <tr>
              <Th>Variant</Th>
              <Th className="text-right">Difference [95% fixed-horizon CI]</Th>
              <Th className="text-right">Relative lift [95% fixed-horizon CI]</Th>
              <Th className="text-right">p-value ({boolean ? "two-proportion" : "Welch"})</Th>
            </tr>
          </THead>
          <TBody>
            {report.variants
              .filter((v) => !v.isControl)
              .map((v) => (
                <Tr key={v.name}>
                  <Td className="font-medium">{v.name}</Td>
                  <Td numeric>{formatDiff(v, boolean)}</Td>
                  <Td numeric>
                    {`${formatPercentChange(v.lift)}${v.liftCiLow !== null && v.liftCiHigh !== null ? ` [${formatPercentChange(v.liftCiLow)}, ${formatPercentChange(v.liftCiHigh)}]` : ""}`}
                  </Td>
                  <Td numeric>{formatP(v.pValue)}</Td>
                </Tr>
              ))}
          </TBody>
        </Table>
      </details>
      <ul aria-label="Verdict per variant" className="space-y-1 text-sm">
        {report.variants
          .filter((v) => v.verdictText)
          .map((v) => (
            <li key={v.name}>
              <Badge tone={v.verdict ? VERDICT_TONE[v.verdict] : "neutral"}>{v.name}</Badge> {v.verdictText}
            </li>
          ))}
      </ul>
      <AbPower report={report} />
      {planned ? <AbBoundaries report={report} /> : null}
      {adaptive ? <AbWeights report={report} /> : null}
      <Card aria-label="Sample ratio checks">
        <CardTitle>Sample ratio checks</CardTitle>
        <div className="mt-2 space-y-1">
          <Srm
            title={`Requests vs ${weightsName}`}
            srm={report.trafficSrm}
            why={
              report.metric.level === "episode" || report.clustered
                ? "variants are drawn per episode; the observations below are episodes"
                : "no configured weights for two or more variants"
            }
          />
          <Srm
            title={`${report.clustered ? "Episodes" : "Observations"} vs ${weightsName}`}
            srm={report.srm}
            why="no configured weights for two or more variants"
          />
        </div>
      </Card>
      <Card aria-label="Cumulative estimate per day">
        <CardTitle>Cumulative {boolean ? "rate" : "mean"} per variant, end of each day</CardTitle>
        <MetricLineChart
          series={historySeries(report)}
          yLabel={`${report.metric.name}${boolean ? " (%)" : ""}`}
          unit={boolean ? "percent" : "none"}
          x={{ kind: "time", format: (ms) => new Date(ms).toISOString().slice(5, 10) }}
          height={240}
        />
      </Card>
      <details className="text-sm text-muted-foreground">
        <summary className="cursor-pointer">How to read this</summary>
        <p className="mt-2 max-w-3xl">
          The verdict comes from the experiment&apos;s sequential design, which stays correct however often the page is read: checking daily
          does not raise the false-positive rate above 5%. The open design (mSPRT) can stop at any time and has no planned end; the planned
          design spends the 5% over a fixed number of daily looks (O&apos;Brien–Fleming-type boundaries: strict early, close to the usual
          test at the horizon), so it decides sooner and, by the horizon, about as often as a test run once at the end. The fixed-horizon
          p-value and intervals (Welch&apos;s t-test for float metrics, the two-proportion test for boolean ones) are shown for reference
          and are only valid at a sample size fixed in advance. Each inference (or episode, for episode-level metrics) counts once, with its
          latest feedback value; inferences of one episode are analysed as a cluster.
        </p>
      </details>
    </div>
  );
}

export function AbReportView({ name }: { name: string }) {
  const [state, update] = useSearchState(abPageState);
  const url = abApiUrl(name, state);
  const query = useQuery({ queryKey: queryKeys.ab(url), queryFn: () => fetchJson(url, abReportSchema) });
  const report = query.data;
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="flex flex-wrap items-end gap-4">
          <RangePicker state={state} onChange={update} />
          {report ? (
            <>
              <Field label="Metric">
                {(p) => (
                  <Select {...p} value={report.metric.name} onChange={(e) => update({ metric: e.target.value })}>
                    {report.metrics.map((m) => (
                      <option key={m.name} value={m.name}>
                        {m.name} ({m.type}, {m.level})
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field label="Control">
                {(p) => (
                  <Select {...p} value={report.control} onChange={(e) => update({ control: e.target.value })}>
                    {report.variants.map((v) => (
                      <option key={v.name} value={v.name}>
                        {v.name}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            </>
          ) : null}
        </div>
        <a
          href={abApiUrl(name, state, "csv")}
          download
          className="rounded-md border border-border bg-card px-3 py-1.5 text-sm font-medium hover:bg-muted"
        >
          Export CSV
        </a>
      </div>
      <QueryState
        query={query}
        loading={<Skeleton rows={6} label="Computing the A/B results" />}
        errorTitle="Could not compute the A/B results"
      >
        {(data) => <AbResults report={data} />}
      </QueryState>
    </div>
  );
}
