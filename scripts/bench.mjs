#!/usr/bin/env node
// `npm run bench`: runs every `bench:<name>` script of package.json in turn (or those named on
// the command line: `npm run bench -- gateway tracking`). Benchmarks print their own figures;
// they are never part of `npm test`.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const scripts = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts ?? {};
const available = Object.keys(scripts)
  .filter((s) => s.startsWith("bench:"))
  .map((s) => s.slice(6));
const chosen = process.argv.length > 2 ? process.argv.slice(2) : available;
const unknown = chosen.filter((c) => !available.includes(c));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${available.join(", ") || "none"}`);
  process.exit(2);
}
if (chosen.length === 0) console.log("no benchmarks defined yet (add bench:<name> scripts to package.json)");
let failed = 0;
for (const name of chosen) {
  console.log(`\n### bench:${name}`);
  const result = spawnSync("npm", ["run", "--silent", `bench:${name}`], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
