import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Set by the `int-http` project: the ClickHouse HTTP fixture its tests use instead of chDB. */
    clickhouseHttpUrl?: string;
  }
}

/**
 * vitest globalSetup of the `int-http` project: starts the ClickHouse HTTP fixture in a process of
 * its own (chDB allows one data folder per process, and a crash there must not take vitest down)
 * and hands its URL to the tests through `inject("clickhouseHttpUrl")`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "llmops-chhttp-int-"));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(import.meta.dirname, "main.ts"), "--port", "0", "--data-dir", dataDir],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
    void exited.then((code) => reject(new Error(`the ClickHouse HTTP fixture exited with ${code} before listening`)));
  });
  project.provide("clickhouseHttpUrl", url);
  return async () => {
    child.kill("SIGTERM");
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  };
}
