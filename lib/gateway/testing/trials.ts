import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { createTestDatabase } from "@/db/test/postgres";
import { openClickHouse } from "@/lib/clickhouse/client.server";

/**
 * Shutdown and crash trials: the gateway in a process of its own (testing/gateway-process.ts, on
 * embedded chDB and the Postgres server), under steady load, stopped by SIGTERM or SIGKILL and
 * restarted on the same data folder, again and again. Every inference and feedback answered 2xx
 * is then looked up in ClickHouse. Used by lib/gateway/shutdown.int.test.ts (a few trials) and
 * `npm run trials:shutdown -- --sigterm 20 --kill 5`.
 */
export interface TrialOptions {
  sigterm: number;
  kill: number;
  /** Concurrent clients. */
  clients?: number;
  /** Port of the gateway process (0: a free port the OS picks). */
  port?: number;
  log?: (message: string) => void;
}

export interface TrialReport {
  trials: { kind: "sigterm" | "kill"; acknowledged: number; exit: string; refused503: number; ms: number }[];
  inferences: { acknowledged: number; stored: number; lost: number; duplicates: number };
  feedback: { acknowledged: number; stored: number; lost: number; duplicates: number };
  crashes: number;
  replayed: number;
}

const CONFIG = `
[recorder]
flush_ms = 500

[providers.echo]
type = "dummy"
latency_ms = 3
ttft_ms = 1

[models.m]
routing = [{ provider = "echo" }]

[functions.f.variants.v]
model = "m"
user = "{{i}}"

[metrics.good]
type = "boolean"
`;

const root = path.resolve(import.meta.dirname, "..", "..", "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: string[];
}

async function startGateway(env: NodeJS.ProcessEnv, port: number): Promise<Running> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/gateway/testing/gateway-process.ts"], {
    cwd: root,
    env: { ...env, GATEWAY_PROCESS_PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  createInterface({ input: child.stderr! }).on("line", (line) => output.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway did not start in 180 s:\n${output.join("\n")}`)), 180_000);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      output.push(line);
      const m = /^listening (\d+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited (${code ?? signal}) before listening:\n${output.join("\n")}`));
    });
  });
  return { child, url, exited, output };
}

async function status(url: string) {
  const res = await fetch(`${url}/api/gateway/status`);
  return (await res.json()) as { recorder: { buffered: number; sending: number; replayed: number; spool: { files: number } | null } };
}

export async function runTrials(options: TrialOptions): Promise<TrialReport> {
  const log = options.log ?? (() => undefined);
  const dataDir = await mkdtemp(path.join(tmpdir(), "llmops-trials-"));
  const configFile = path.join(dataDir, "llmops.toml");
  await writeFile(configFile, CONFIG);
  const db = await createTestDatabase();
  const env = {
    ...process.env,
    LLMOPS_DATA_DIR: dataDir,
    LLMOPS_CONFIG: configFile,
    DATABASE_URL: db.url,
    CLICKHOUSE_URL: "",
    LLMOPS_DEMO: "off",
    NODE_ENV: "production" as const,
  };
  const inferences: string[] = [];
  const feedback: string[] = [];
  const report: TrialReport = {
    trials: [],
    inferences: { acknowledged: 0, stored: 0, lost: 0, duplicates: 0 },
    feedback: { acknowledged: 0, stored: 0, lost: 0, duplicates: 0 },
    crashes: 0,
    replayed: 0,
  };
  // SIGTERM and kill -9 trials interleaved, so a crash's spool is replayed by a start that is itself stopped.
  const kinds: ("sigterm" | "kill")[] = [];
  for (let s = options.sigterm, k = options.kill; s + k > 0;) {
    if (s > 0 && (k === 0 || s / (s + k) >= Math.random())) {
      kinds.push("sigterm");
      s--;
    } else {
      kinds.push("kill");
      k--;
    }
  }
  try {
    for (const [n, kind] of kinds.entries()) {
      const started = Date.now();
      const gw = await startGateway(env, options.port ?? 0);
      report.replayed += (await status(gw.url)).recorder.replayed;
      let running = true;
      let acknowledged = 0;
      let refused503 = 0;
      let i = 0;
      const client = async () => {
        while (running) {
          try {
            const res = await fetch(`${gw.url}/api/inference`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ function_name: "f", input: { variables: { i: i++ } } }),
            });
            if (res.status === 503) refused503++;
            const body = (await res.json()) as { inference_id?: string };
            if (res.status !== 200 || !body.inference_id) continue;
            inferences.push(body.inference_id);
            acknowledged++;
            if (i % 5 === 0) {
              const fb = await fetch(`${gw.url}/api/feedback`, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ metric_name: "good", inference_id: body.inference_id, value: true }),
              });
              const fbBody = (await fb.json()) as { feedback_id?: string };
              if (fb.status === 200 && fbBody.feedback_id) feedback.push(fbBody.feedback_id);
            }
          } catch {
            // refused or cut connection: not acknowledged; the server is going away
            await sleep(20);
          }
        }
      };
      const load = Promise.all(Array.from({ length: options.clients ?? 8 }, client));
      await sleep(2000 + Math.random() * 3000);
      gw.child.kill(kind === "sigterm" ? "SIGTERM" : "SIGKILL");
      const exit = await gw.exited;
      running = false;
      await load;
      const clean = kind === "kill" ? exit.signal === "SIGKILL" : exit.code === 0 && exit.signal === null;
      if (!clean) {
        report.crashes++;
        log(`trial ${n + 1}: unexpected exit ${JSON.stringify(exit)}\n${gw.output.slice(-30).join("\n")}`);
      }
      const entry = { kind, acknowledged, exit: exit.signal ?? String(exit.code), refused503, ms: Date.now() - started };
      report.trials.push(entry);
      log(
        `trial ${n + 1}/${kinds.length} ${kind}: ${acknowledged} inferences answered, ${refused503} × 503 while draining, exit ${entry.exit}`,
      );
    }
    // One more start replays what the last trial left in the spool; then a clean stop.
    const gw = await startGateway(env, options.port ?? 0);
    report.replayed += (await status(gw.url)).recorder.replayed;
    for (let t = 0; t < 600; t++) {
      const s = await status(gw.url);
      if (s.recorder.buffered + s.recorder.sending === 0 && (s.recorder.spool?.files ?? 0) === 0) break;
      await sleep(100);
    }
    gw.child.kill("SIGTERM");
    const exit = await gw.exited;
    if (exit.code !== 0) report.crashes++;

    const store = await openClickHouse({
      username: "default",
      password: "",
      database: "llmops",
      dataDir,
      connectTimeoutMs: 10_000,
    });
    try {
      const count = async (query: string, ids: string[]) => {
        const rs = await store.client.query({ query, query_params: { ids }, format: "JSONEachRow" });
        const [row] = await rs.json<{ rows: string; distinct: string; total: string }>();
        return row!;
      };
      const inf = await count(
        "SELECT countIf(toString(id) IN {ids:Array(String)}) AS rows, uniqExactIf(id, toString(id) IN {ids:Array(String)}) AS distinct, count() AS total FROM inferences",
        inferences,
      );
      const fb = await count(
        "SELECT countIf(toString(id) IN {ids:Array(String)}) AS rows, uniqExactIf(id, toString(id) IN {ids:Array(String)}) AS distinct, count() AS total FROM feedback",
        feedback,
      );
      const allInf = await count("SELECT count() AS rows, uniqExact(id) AS distinct, 0 AS total FROM inferences", []);
      report.inferences = {
        acknowledged: inferences.length,
        stored: Number(inf.distinct),
        lost: inferences.length - Number(inf.distinct),
        duplicates: Number(allInf.rows) - Number(allInf.distinct),
      };
      report.feedback = {
        acknowledged: feedback.length,
        stored: Number(fb.distinct),
        lost: feedback.length - Number(fb.distinct),
        duplicates: Number(fb.rows) - Number(fb.distinct),
      };
    } finally {
      await store.close();
    }
    return report;
  } finally {
    await db.drop().catch(() => undefined);
    if (process.env.LLMOPS_TRIALS_KEEP) log(`kept ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  }
}
