import "server-only";
import { getArtifactStore } from "@/lib/artifacts/index.server";
import { contentType } from "@/lib/artifacts/mime";
import { artifactPath, baseName } from "@/lib/artifacts/paths";
import type { ArtifactStore, ByteRange, FileInfo } from "@/lib/artifacts/store";
import { ArtifactTooLargeError } from "@/lib/artifacts/errors";
import { notFound } from "@/lib/stores/mlflow-errors";
import { bodyOf, json, pathParam, respond, type PathParams } from "./artifact-http.server";

/**
 * The artifact proxy (mlflow_artifacts.proto, handlers.py _upload_artifact & co.): what MLflow
 * clients use for `mlflow-artifacts:/` locations. Paths are relative to the artifact root, e.g.
 * `1/<run_id>/artifacts/model/MLmodel`. Bodies stream through; a file is never held in memory.
 */
export type StoreSource = () => ArtifactStore;

/** `FileInfo` as MLflow lists it: `file_size` only for files. */
export const toWireFileInfo = (f: FileInfo, path = f.path) =>
  f.isDir ? { path, is_dir: true } : { path, is_dir: false, file_size: f.size ?? 0 };

function parseRange(header: string | null): ByteRange | undefined {
  const match = header ? /^bytes=(\d+)-(\d*)$/.exec(header.trim()) : null;
  if (!match) return undefined;
  return { start: Number(match[1]), end: match[2] ? Number(match[2]) : undefined };
}

/** Streams a stored file; `Range: bytes=a-b` gets a 206 with that slice (previews read the start only). */
export async function sendArtifact(store: ArtifactStore, path: string, rangeHeader: string | null): Promise<Response> {
  const range = parseRange(rangeHeader);
  const found = await store.get(path, range);
  if (!found) throw notFound(`No artifact at '${path}'.`);
  const headers: Record<string, string> = {
    "content-type": contentType(path),
    // Attachments, as MLflow sends them, so a browser never renders an uploaded page on this origin.
    "content-disposition": `attachment; filename="${baseName(path).replace(/["\\\r\n]/g, "_")}"`,
    "x-content-type-options": "nosniff",
    "accept-ranges": "bytes",
  };
  if (range && range.start >= found.total && found.total > 0) {
    await found.stream.cancel();
    return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${found.total}` } });
  }
  headers["content-length"] = String(found.size);
  if (found.range) {
    headers["content-range"] = `bytes ${found.range.start}-${found.range.end}/${found.total}`;
    return new Response(found.stream, { status: 206, headers });
  }
  return new Response(found.stream, { status: 200, headers });
}

export function artifactEndpoints(store: StoreSource = getArtifactStore) {
  return {
    /** GET /mlflow-artifacts/artifacts/<path> */
    download: (req: Request, context: PathParams) =>
      respond(async () => sendArtifact(store(), await pathParam(context), req.headers.get("range"))),

    /** PUT /mlflow-artifacts/artifacts/<path>: the raw body is the file. */
    upload: (req: Request, context: PathParams) =>
      respond(async () => {
        const path = await pathParam(context);
        const target = store();
        const declared = Number(req.headers.get("content-length") ?? "0");
        if (declared > target.maxBytes) {
          await req.body?.cancel();
          throw new ArtifactTooLargeError(target.maxBytes);
        }
        await target.put(path, bodyOf(req));
        return json(200, {});
      }),

    /** DELETE /mlflow-artifacts/artifacts/<path>: a file, or a folder and everything in it. */
    remove: (_req: Request, context: PathParams) =>
      respond(async () => {
        await store().delete(await pathParam(context));
        return json(200, {});
      }),

    /** GET /mlflow-artifacts/artifacts?path=<folder>: the folder's children, by name. */
    list: (req: Request) =>
      respond(async () => {
        const raw = new URL(req.url).searchParams.get("path");
        const files = await store().list(artifactPath(raw ?? ""));
        return json(200, files.length ? { files: files.map((f) => toWireFileInfo(f)) } : {});
      }),
  };
}
