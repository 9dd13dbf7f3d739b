#!/usr/bin/env node
// Keeps package-lock.json valid for `npm ci` everywhere. The registry mirror this project is built
// against lacks some platform binaries (e.g. @next/swc-darwin-arm64), so `npm install` leaves them
// out of the lock and `npm ci` then refuses the lock. This adds each missing optional platform
// package with its version and os/cpu, exactly as a lock made against the full registry would, so
// npm skips it on other platforms and fetches it where it is needed. Run after `npm install`.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const file = path.join(root, "package-lock.json");
const lock = JSON.parse(readFileSync(file, "utf8"));

const OS = ["darwin", "linux", "win32", "freebsd", "android", "openbsd", "sunos", "aix"];
const CPU = {
  arm64: "arm64",
  x64: "x64",
  arm: "arm",
  ia32: "ia32",
  wasm32: "wasm32",
  riscv64: "riscv64",
  s390x: "s390x",
  ppc64: "ppc64",
  loong64: "loong64",
};

function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.map((p) => CPU[p]).find(Boolean);
  if (!cpu) return undefined;
  const entry = {};
  if (os) entry.os = [os];
  entry.cpu = [cpu];
  if (parts.includes("gnu")) entry.libc = ["glibc"];
  if (parts.includes("musl")) entry.libc = ["musl"];
  return entry;
}

let added = 0;
for (const [key, pkg] of Object.entries(lock.packages)) {
  for (const [dep, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const nested = `${key ? `${key}/` : ""}node_modules/${dep}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${dep}`]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(spec)) continue; // only exact-pinned platform binaries
    lock.packages[`node_modules/${dep}`] = { version: spec, ...platform, optional: true };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-platforms: added ${added} platform package entries`);
