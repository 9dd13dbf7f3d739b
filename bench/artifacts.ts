/**
 * The artifact half of `npm run bench:tracking`: a 100 MB artifact uploaded and downloaded through
 * the built app over HTTP (PUT and GET /api/2.0/mlflow-artifacts/artifacts/…, as MLflow's
 * HttpArtifactRepository sends them), against a plain streamed file copy on the same disk, with
 * the server process's resident memory sampled throughout (it must stay flat: bodies stream).
 *
 * Needs `npm run build` first. BENCH_ARTIFACT_MB sizes the file; BENCH_PORT the app's port; the
 * LLMOPS_ARTIFACTS_* and AWS_* settings in the environment choose the store (an S3 bucket, say).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { benchAuthEnv, benchHeaders } from "./auth-env";

const MB = Number(process.env.BENCH_ARTIFACT_MB ?? 100);
const PORT = Number(process.env.BENCH_PORT ?? 3621);
const base = `http://127.0.0.1:${PORT}`;

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** Samples a process's RSS every 50 ms while `work` runs: the peak and the value before. */
async function withRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; before: number; peak: number }> {
  const before = await rssMb(pid);
  let peak = before;
  const timer = setInterval(() => void rssMb(pid).then((v) => (peak = Math.max(peak, v))), 50);
  try {
    return { result: await work(), before, peak };
  } finally {
    clearInterval(timer);
  }
}

/** A streamed PUT with Content-Length, as Python's requests sends a file object. */
function putFile(url: string, file: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "PUT", headers: { "content-type": "application/octet-stream", "content-length": size, ...benchHeaders } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    createReadStream(file).pipe(req);
  });
}

function getFile(url: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers: benchHeaders }, (res) => {
      pipeline(res, createWriteStream(file)).then(() => resolve(res.statusCode ?? 0), reject);
    })
      .on("error", reject)
      .end();
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const start = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - start) / 1000 };
}

async function json<T>(method: string, route: string, body: object): Promise<T> {
  const res = await fetch(`${base}/api/2.0/mlflow${route}`, {
    method,
    headers: { "content-type": "application/json", ...benchHeaders },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function benchArtifacts(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "llmops-bench-artifacts-"));
  const source = path.join(dir, "source.bin");
  const chunk = randomBytes(1024 * 1024);
  await writeFile(source, Buffer.concat(Array.from({ length: MB }, () => chunk)));
  const size = (await stat(source)).size;
  const child = spawn(process.execPath, ["scripts/server.mjs"], {
    env: {
      ...process.env,
      ...benchAuthEnv,
      NODE_ENV: "production",
      NEXT_MANUAL_SIG_HANDLE: "true",
      PORT: String(PORT),
      LLMOPS_DATA_DIR: path.join(dir, "data"),
      LLMOPS_DEMO: "off",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  try {
    for (let tries = 0; ; tries++) {
      if (child.exitCode !== null || tries > 600) throw new Error("the app did not start (did you run `npm run build`?)");
      const up = await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const pid = child.pid ?? 0;
    const { run } = await json<{ run: { info: { artifact_uri: string } } }>("POST", "/runs/create", { run_name: "bench-artifacts" });
    const url = `${base}/api/2.0/mlflow-artifacts/artifacts/${run.info.artifact_uri.replace("mlflow-artifacts:/", "")}/data.bin`;
    // Warm the routes (first request compiles nothing in production, but loads modules).
    await putFile(url, source, size);
    await getFile(url, path.join(dir, "warm.bin"));

    const copy = await timed(() => pipeline(createReadStream(source), createWriteStream(path.join(dir, "copy.bin"))));
    const cp = await timed(() => copyFile(source, path.join(dir, "cp.bin")));
    const upload = await withRss(pid, () => timed(() => putFile(url, source, size)));
    const download = await withRss(pid, () => timed(() => getFile(url, path.join(dir, "download.bin"))));
    if (upload.result.result !== 200 || download.result.result !== 200) throw new Error("upload or download failed");
    if ((await stat(path.join(dir, "download.bin"))).size !== size) throw new Error("downloaded size differs");

    const rate = (seconds: number) => `${(MB / seconds).toFixed(0)} MB/s`;
    const where = process.env.LLMOPS_ARTIFACTS_URL ? `store ${process.env.LLMOPS_ARTIFACTS_URL}` : "local folder store, same disk";
    console.log(`\n## Artifacts: ${MB} MB through the app over HTTP (${where})`);
    console.log(
      `plain streamed copy: ${copy.seconds.toFixed(2)} s (${rate(copy.seconds)}); cp (copy_file_range): ${cp.seconds.toFixed(2)} s (${rate(cp.seconds)})`,
    );
    console.log(
      `upload (PUT):   ${upload.result.seconds.toFixed(2)} s (${rate(upload.result.seconds)}, ${(copy.seconds / upload.result.seconds).toFixed(2)}× the streamed copy); ` +
        `server RSS ${upload.before.toFixed(0)} → peak ${upload.peak.toFixed(0)} MB (+${(upload.peak - upload.before).toFixed(0)} MB)`,
    );
    console.log(
      `download (GET): ${download.result.seconds.toFixed(2)} s (${rate(download.result.seconds)}, ${(copy.seconds / download.result.seconds).toFixed(2)}× the streamed copy); ` +
        `server RSS ${download.before.toFixed(0)} → peak ${download.peak.toFixed(0)} MB (+${(download.peak - download.before).toFixed(0)} MB)`,
    );
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
}
