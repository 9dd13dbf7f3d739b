import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, type Stats } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { invalidParameter } from "@/lib/stores/mlflow-errors";
import { ArtifactTooLargeError, isDirectory, notAFolder, unknownUpload } from "./errors";
import type { ArtifactBody, ArtifactStore, ByteRange, FileInfo, UploadedPart } from "./store";
import { byteLimit, toNodeReadable, toWebStream } from "./streams.server";

/**
 * Artifacts as files under one folder. Writes go to a temporary file in the staging folder (same
 * filesystem) and are renamed into place, so readers never see half a file and a failed upload
 * leaves nothing behind. Multipart uploads keep their parts in staging until completed or aborted.
 */
const STAGING = ".llmops-staging";
const UPLOAD_ID = /^[0-9a-f]{32}$/;
/** Uploads neither completed nor aborted are swept this long after they started. */
const STALE_UPLOAD_MS = 7 * 24 * 3600 * 1000;

const code = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

export function openLocalStore(root: string, maxBytes: number): ArtifactStore {
  const staging = path.join(root, STAGING);
  const uploads = path.join(staging, "mpu");

  function fsPath(key: string): string {
    if (key.split("/")[0] === STAGING) throw invalidParameter(`Invalid path '${key}': '${STAGING}' is reserved by the server.`);
    const full = path.join(root, key);
    // paths.ts already refuses '..'; this keeps the guarantee local to the one place that touches disk.
    if (full !== root && !full.startsWith(root + path.sep)) throw invalidParameter(`Invalid path '${key}'.`);
    return full;
  }

  const statOrUndefined = (file: string): Promise<Stats | undefined> =>
    stat(file).catch((error: unknown) => {
      if (code(error) === "ENOENT" || code(error) === "ENOTDIR") return undefined;
      throw error;
    });

  /** Streams `source` into a fresh temporary file in staging; the caller renames or removes it. */
  async function writeTemp(source: NodeJS.ReadableStream, extra: Transform[] = []): Promise<{ temp: string; size: number }> {
    await mkdir(path.join(staging, "tmp"), { recursive: true });
    const temp = path.join(staging, "tmp", randomUUID());
    const limit = byteLimit(maxBytes);
    const out = createWriteStream(temp);
    try {
      await pipeline([source, limit, ...extra, out]);
    } catch (error) {
      // A failed pipeline rejects as soon as a stream errors; the file's own open may still be
      // pending then, and would create the file after an earlier rm. Remove it once it is closed.
      if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()));
      await rm(temp, { force: true });
      throw error;
    }
    return { temp, size: limit.bytes() };
  }

  async function moveInto(temp: string, key: string): Promise<void> {
    const target = fsPath(key);
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      if (code(error) === "ENOTDIR" || code(error) === "EEXIST") throw notAFolder(key);
      if (code(error) === "EISDIR" || code(error) === "ENOTEMPTY") throw isDirectory(key);
      throw error;
    }
  }

  async function uploadDir(key: string, uploadId: string): Promise<string> {
    if (!UPLOAD_ID.test(uploadId)) throw unknownUpload(uploadId);
    const dir = path.join(uploads, uploadId);
    const meta = await readFile(path.join(dir, "meta.json"), "utf8").catch(() => undefined);
    if (!meta || (JSON.parse(meta) as { path: string }).path !== key) throw unknownUpload(uploadId);
    return dir;
  }

  async function sweepStaleUploads(): Promise<void> {
    const entries = await readdir(uploads).catch(() => [] as string[]);
    const cutoff = Date.now() - STALE_UPLOAD_MS;
    for (const entry of entries) {
      const info = await statOrUndefined(path.join(uploads, entry));
      if (info && info.mtimeMs < cutoff) await rm(path.join(uploads, entry), { recursive: true, force: true });
    }
  }

  return {
    kind: "local",
    location: root,
    maxBytes,

    async put(key, body) {
      fsPath(key);
      const { temp, size } = await writeTemp(toNodeReadable(body));
      await moveInto(temp, key);
      return { size };
    },

    async get(key, range?: ByteRange): Promise<ArtifactBody | undefined> {
      const file = fsPath(key);
      const info = await statOrUndefined(file);
      if (!info) return undefined;
      if (info.isDirectory()) throw isDirectory(key);
      const total = info.size;
      if (!range) return { stream: toWebStream(createReadStream(file)), size: total, total };
      if (range.start >= total) return { stream: new Blob([]).stream(), size: 0, total };
      const end = Math.min(range.end ?? total - 1, total - 1);
      return {
        stream: toWebStream(createReadStream(file, { start: range.start, end })),
        size: Math.max(0, end - range.start + 1),
        total,
        range: { start: range.start, end },
      };
    },

    async list(key): Promise<FileInfo[]> {
      const dir = fsPath(key);
      const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
        if (["ENOENT", "ENOTDIR"].includes(code(error) ?? "")) return [];
        throw error;
      });
      const infos = await Promise.all(
        entries
          .filter((e) => !(key === "" && e.name === STAGING))
          .map(async (e): Promise<FileInfo | undefined> => {
            if (e.isDirectory()) return { path: e.name, isDir: true };
            const info = await statOrUndefined(path.join(dir, e.name));
            return info ? { path: e.name, isDir: false, size: info.size } : undefined;
          }),
      );
      return infos.filter((i): i is FileInfo => i !== undefined).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },

    async delete(key) {
      const target = fsPath(key);
      if (target === root) {
        // The root itself stays (it holds staging); everything in it goes.
        for (const entry of await readdir(root).catch(() => [] as string[])) {
          if (entry !== STAGING) await rm(path.join(root, entry), { recursive: true, force: true });
        }
        return;
      }
      await rm(target, { recursive: true, force: true });
    },

    async createUpload(key) {
      fsPath(key);
      await sweepStaleUploads();
      const uploadId = randomBytes(16).toString("hex");
      const dir = path.join(uploads, uploadId);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, "meta.json"), JSON.stringify({ path: key, created: Date.now() }));
      return uploadId;
    },

    async putPart(key, uploadId, partNumber, body) {
      const dir = await uploadDir(key, uploadId);
      const md5 = createHash("md5");
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          md5.update(chunk);
          callback(null, chunk);
        },
      });
      const { temp } = await writeTemp(toNodeReadable(body), [hashing]);
      const etag = `"${md5.digest("hex")}"`;
      await rename(temp, path.join(dir, String(partNumber)));
      await writeFile(path.join(dir, `${partNumber}.etag`), etag);
      return { partNumber, etag };
    },

    async completeUpload(key, uploadId, parts: UploadedPart[]) {
      const dir = await uploadDir(key, uploadId);
      const ordered = [...parts].sort((a, b) => a.partNumber - b.partNumber);
      let total = 0;
      for (const part of ordered) {
        const stored = await readFile(path.join(dir, `${part.partNumber}.etag`), "utf8").catch(() => undefined);
        if (stored === undefined || stored.replaceAll('"', "") !== part.etag.replaceAll('"', "")) {
          throw invalidParameter(`Part ${part.partNumber} of upload '${uploadId}' was not uploaded, or its etag does not match.`);
        }
        total += (await stat(path.join(dir, String(part.partNumber)))).size;
      }
      if (total > maxBytes) throw new ArtifactTooLargeError(maxBytes);
      await mkdir(path.join(staging, "tmp"), { recursive: true });
      const temp = path.join(staging, "tmp", randomUUID());
      const out = createWriteStream(temp);
      try {
        for (const part of ordered) await pipeline(createReadStream(path.join(dir, String(part.partNumber))), out, { end: false });
        await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      } catch (error) {
        out.destroy();
        await rm(temp, { force: true });
        throw error;
      }
      await moveInto(temp, key);
      await rm(dir, { recursive: true, force: true });
    },

    async abortUpload(key, uploadId) {
      await rm(await uploadDir(key, uploadId), { recursive: true, force: true });
    },
  };
}
