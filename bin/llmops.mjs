#!/usr/bin/env node
// The llmops command line (issue 15): `npx llmops eval …` runs an evaluation against a running
// app, prints progress and a summary, writes JSON and JUnit XML, and exits 1 when a threshold
// fails (2 on bad usage or an unreachable app), so any CI can gate a prompt change on it.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { URLSearchParams } from "node:url";

const HELP = `Usage:
  llmops eval run --function F --dataset NAME[@VERSION] [--variant V]... [--prompt prompts:/name/N]... [--model M]...
                  [--evaluator '{"name":"x","type":"icontains","value":"y"}']... [--judge-model M | --judge-function F]
                  [--threshold "helpful/mean>=0.8"]... [--repetitions N] [--concurrency N] [--name NAME]
                  [--json FILE] [--junit FILE] [--url URL] [--api-key KEY] [--no-wait]
  llmops eval status RUN_ID [--json FILE] [--junit FILE]
  llmops eval import-promptfoo results.json [--dataset NAME] [--name NAME]
  llmops eval compare BASELINE_RUN OTHER_RUN[:candidate]...
  llmops gateway status                                   the recorder's figures and its dead letters
  llmops gateway retry-dead-letters [--id N]... [--limit N]  write refused log rows to ClickHouse again (after a fix)
  llmops migrate tensorzero path/to/tensorzero.toml [--out llmops.toml]

--url defaults to LLMOPS_URL or http://localhost:3000; --api-key to LLMOPS_API_KEY (sent as a bearer token).
Thresholds: <evaluator>/mean or <evaluator>/pass_rate, then >= or <=, then a number; "*/pass_rate" is the items' overall pass rate.`;

class UsageError extends Error {}

function options(args, extra = {}) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: "string" },
      "api-key": { type: "string" },
      json: { type: "string" },
      junit: { type: "string" },
      help: { type: "boolean", short: "h" },
      ...extra,
    },
  });
  return { values, positionals, url: String(values.url ?? process.env.LLMOPS_URL ?? "http://localhost:3000").replace(/\/+$/, "") };
}

function client(url, apiKey) {
  const headers = { "content-type": "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) };
  return async (method, path, body) => {
    let res;
    try {
      res = await fetch(`${url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
    } catch (error) {
      throw new UsageError(`cannot reach ${url}: ${error.cause?.message ?? error.message}`);
    }
    const reply = await res.json().catch(() => ({}));
    if (!res.ok) throw new UsageError(`${method} ${path} answered ${res.status}: ${reply?.error?.message ?? JSON.stringify(reply)}`);
    return reply;
  };
}

function parseThreshold(text) {
  const m = /^\s*([^/\s]+)\/(mean|pass_rate)\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) throw new UsageError(`bad threshold "${text}": write e.g. helpful/mean>=0.8 or */pass_rate>=0.9`);
  return { evaluator: m[1], stat: m[2], op: m[3], value: Number(m[4]) };
}

const pct = (x) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}%`);
const num = (x, d = 3) => (x === null || x === undefined ? "—" : Number(x).toFixed(d));

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join("  ")).join("\n");
}

function summaryTable(run) {
  const evaluators = [...new Set(run.summary.flatMap((c) => Object.keys(c.evaluators)))];
  const rows = [["candidate", "done", "errors", "pass", ...evaluators.map((e) => `${e}/mean`), "cost", "p50 ms", "p95 ms"]];
  for (const c of run.summary) {
    rows.push([
      c.candidate,
      c.done,
      c.errors,
      pct(c.passRate),
      ...evaluators.map((e) => num(c.evaluators[e]?.mean)),
      `$${num(c.cost.total, 6)}`,
      num(c.latency.p50, 0),
      num(c.latency.p95, 0),
    ]);
  }
  return table(rows);
}

const xml = (s) => String(s).replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]);

/** One testsuite per candidate; a testcase per threshold (failed ones carry the figure) and one for errored items. */
function junitXml(run) {
  const suites = run.summary.map((c) => {
    const checks = run.thresholds.filter((t) => t.candidate === c.candidate);
    const cases = checks.map((t) => {
      const name = `${t.evaluator}/${t.stat} ${t.op} ${t.value}`;
      return t.pass
        ? `    <testcase classname="${xml(run.name)}.${xml(c.candidate)}" name="${xml(name)}"/>`
        : `    <testcase classname="${xml(run.name)}.${xml(c.candidate)}" name="${xml(name)}"><failure message="${xml(`${name} failed: ${num(t.actual)}`)}"/></testcase>`;
    });
    cases.push(
      c.errors
        ? `    <testcase classname="${xml(run.name)}.${xml(c.candidate)}" name="items without errors"><failure message="${c.errors} items failed to run"/></testcase>`
        : `    <testcase classname="${xml(run.name)}.${xml(c.candidate)}" name="items without errors"/>`,
    );
    const failures = checks.filter((t) => !t.pass).length + (c.errors ? 1 : 0);
    return `  <testsuite name="${xml(run.name)} · ${xml(c.candidate)}" tests="${cases.length}" failures="${failures}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  const failures = run.thresholds.filter((t) => !t.pass).length + run.summary.filter((c) => c.errors).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="llmops eval ${xml(run.id)}" failures="${failures}">\n${suites.join("\n")}\n</testsuites>\n`;
}

async function finish(run, values) {
  console.log(`\n${run.name} (${run.id}) ${run.status}: ${run.progress.done}/${run.progress.total} done, ${run.progress.errors} errors`);
  console.log(summaryTable(run));
  for (const t of run.thresholds)
    console.log(`${t.pass ? "PASS" : "FAIL"}  ${t.candidate}: ${t.evaluator}/${t.stat} ${t.op} ${t.value} (got ${num(t.actual)})`);
  if (values.json) await writeFile(values.json, JSON.stringify(run, null, 2));
  if (values.junit) await writeFile(values.junit, junitXml(run));
  const failed = run.status !== "finished" || run.thresholds.some((t) => !t.pass) || run.summary.some((c) => c.errors > 0);
  return failed ? 1 : 0;
}

async function waitFor(call, id) {
  let last = "";
  for (;;) {
    const run = await call("GET", `/api/evaluations/${id}`);
    const p = run.progress;
    const line = `${run.status} ${p.done + p.errors}/${p.total}${p.errors ? ` (${p.errors} errors)` : ""}${p.etaSeconds !== null ? `, about ${p.etaSeconds} s left` : ""}`;
    if (line !== last) console.log(line);
    last = line;
    if (!["queued", "running"].includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function evalRun(args) {
  const { values, url } = options(args, {
    function: { type: "string" },
    dataset: { type: "string" },
    variant: { type: "string", multiple: true },
    prompt: { type: "string", multiple: true },
    model: { type: "string", multiple: true },
    evaluator: { type: "string", multiple: true },
    "judge-model": { type: "string" },
    "judge-function": { type: "string" },
    threshold: { type: "string", multiple: true },
    repetitions: { type: "string" },
    concurrency: { type: "string" },
    name: { type: "string" },
    "no-wait": { type: "boolean" },
  });
  if (!values.function || !values.dataset) throw new UsageError("eval run needs --function and --dataset");
  const [dataset, version] = values.dataset.split("@");
  const candidates = [
    ...(values.variant ?? []).map((variant) => ({ variant })),
    ...(values.prompt ?? []).map((prompt) => ({ prompt })),
    ...(values.model ?? []).map((model) => ({ model })),
  ];
  if (!candidates.length) throw new UsageError("give at least one --variant, --prompt or --model to evaluate");
  const evaluators = (values.evaluator ?? []).map((e) => {
    try {
      return JSON.parse(e);
    } catch {
      throw new UsageError(`--evaluator takes JSON, e.g. '{"name":"polite","type":"icontains","value":"please"}'; got ${e}`);
    }
  });
  const call = client(url, values["api-key"] ?? process.env.LLMOPS_API_KEY);
  const body = {
    function: values.function,
    dataset: { name: dataset, ...(version ? { version: Number(version) } : {}) },
    candidates,
    evaluators,
    thresholds: (values.threshold ?? []).map(parseThreshold),
    ...(values["judge-model"]
      ? { judge: { model: values["judge-model"] } }
      : values["judge-function"]
        ? { judge: { function: values["judge-function"] } }
        : {}),
    ...(values.repetitions ? { repetitions: Number(values.repetitions) } : {}),
    ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
    ...(values.name ? { name: values.name } : {}),
  };
  const created = await call("POST", "/api/evaluations", body);
  console.log(`started ${created.name}: ${url}/evaluations/${created.id}`);
  if (values["no-wait"]) return 0;
  return finish(await waitFor(call, created.id), values);
}

/** `llmops gateway status | retry-dead-letters`: the recorder's dead letters (lib/gateway/README.md). */
async function gatewayCommand(command, args) {
  const { values, url } = options(args, { id: { type: "string", multiple: true }, limit: { type: "string" } });
  const call = client(url, values["api-key"] ?? process.env.LLMOPS_API_KEY);
  if (command === "status") {
    const status = await call("GET", "/api/gateway/status");
    console.log(JSON.stringify({ recorder: status.recorder, dead_letters: status.dead_letters }, null, 2));
    return 0;
  }
  if (command !== "retry-dead-letters") throw new UsageError(`unknown gateway command "${command ?? ""}"\n\n${HELP}`);
  const body = {};
  if (values.id) body.ids = values.id.map(Number);
  if (values.limit) body.limit = Number(values.limit);
  const result = await call("POST", "/api/gateway/dead-letters/retry", body);
  console.log(`${result.retried} dead letters retried: ${result.written} written, ${result.still_refused} still refused`);
  return result.still_refused > 0 ? 1 : 0;
}

/** Converts a tensorzero.toml; prints the llmops.toml (or writes --out) and what could not be carried over. */
async function migrate(kind, args) {
  if (kind !== "tensorzero") throw new UsageError(`unknown migration "${kind ?? ""}": llmops migrate tensorzero FILE`);
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: "string", short: "o" } } });
  if (!positionals[0]) throw new UsageError("migrate tensorzero needs the tensorzero.toml file");
  const { migrateTensorZero } = await import("./tensorzero-migrate.mjs");
  const file = positionals[0];
  const { toml, notes } = migrateTensorZero(await readFile(file, "utf8"), { dir: path.dirname(file) });
  if (values.out) await writeFile(values.out, toml);
  else process.stdout.write(toml);
  for (const note of notes) console.error(`not carried over / check: ${note}`);
  if (values.out) console.error(`wrote ${values.out} (${notes.length} notes)`);
  return 0;
}

async function main(argv) {
  const [group, command, ...rest] = argv;
  if (!group || group === "--help" || group === "-h" || group === "help") {
    console.log(HELP);
    return 0;
  }
  if (group === "gateway") return gatewayCommand(command, rest);
  if (group === "migrate") return migrate(command, rest);
  if (group !== "eval") throw new UsageError(`unknown command "${group}"\n\n${HELP}`);
  switch (command) {
    case "run":
      return evalRun(rest);
    case "status": {
      const { values, positionals, url } = options(rest);
      if (!positionals[0]) throw new UsageError("eval status needs a run id");
      return finish(await waitFor(client(url, values["api-key"] ?? process.env.LLMOPS_API_KEY), positionals[0]), values);
    }
    case "import-promptfoo": {
      const { values, positionals, url } = options(rest, { dataset: { type: "string" }, name: { type: "string" } });
      if (!positionals[0]) throw new UsageError("eval import-promptfoo needs the results.json file");
      const text = await readFile(positionals[0], "utf8");
      const query = new URLSearchParams({
        ...(values.dataset ? { dataset: values.dataset } : {}),
        ...(values.name ? { name: values.name } : {}),
      });
      const run = await client(url, values["api-key"] ?? process.env.LLMOPS_API_KEY)(
        "POST",
        `/api/evaluations/import/promptfoo?${query}`,
        text,
      );
      console.log(`imported as ${url}/evaluations/${run.id}`);
      return finish(run, values);
    }
    case "compare": {
      const { values, positionals, url } = options(rest);
      if (positionals.length < 2) throw new UsageError("eval compare needs two runs (or run:candidate)");
      const cmp = await client(url, values["api-key"] ?? process.env.LLMOPS_API_KEY)(
        "GET",
        `/api/evaluations/compare?${positionals.map((a) => `arms=${encodeURIComponent(a)}`).join("&")}`,
      );
      for (const c of cmp.comparisons) {
        console.log(
          `\n${cmp.arms[0].label} → ${c.arm} (${c.pairs} paired items): ${c.overall.regressions.length} regressions, ${c.overall.improvements.length} improvements`,
        );
        console.log(
          table([
            ["evaluator", "Δ mean", "95% CI", "p (paired t)", "Δ pass", "p (McNemar)"],
            ...c.evaluators.map((e) => [
              e.evaluator,
              num(e.meanDiff),
              e.meanDiffCi ? `[${num(e.meanDiffCi[0])}, ${num(e.meanDiffCi[1])}]` : "—",
              num(e.tPValue, 4),
              pct(e.passDiff),
              num(e.mcnemarPValue, 4),
            ]),
          ]),
        );
      }
      if (values.json) await writeFile(values.json, JSON.stringify(cmp, null, 2));
      return cmp.comparisons.some((c) => c.evaluators.some((e) => e.significantRegression)) ? 1 : 0;
    }
    default:
      throw new UsageError(`unknown eval command "${command ?? ""}"\n\n${HELP}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`llmops: ${error.message}`);
    process.exit(error instanceof UsageError ? 2 : 3);
  },
);
