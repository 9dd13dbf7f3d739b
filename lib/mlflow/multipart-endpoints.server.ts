import "server-only";
import { z } from "zod";
import { getArtifactStore } from "@/lib/artifacts/index.server";
import { ArtifactTooLargeError } from "@/lib/artifacts/errors";
import { invalidParameter } from "@/lib/stores/mlflow-errors";
import { INVALID, int64, repeated, requiredStr, str } from "./fields";
import { bodyOf, json, pathParam, readMessage, requestOrigin, respond, type PathParams } from "./artifact-http.server";
import type { StoreSource } from "./artifact-endpoints.server";

/**
 * Multipart uploads through the proxy (mlflow_artifacts.proto: mpu/create, complete, abort), which
 * MLflow clients use for large files when MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD is on. MLflow's S3
 * repository hands out presigned S3 URLs for the parts; this server hands out URLs of its own
 * (`mpu/part/<path>`), so parts stream through it to either store and clients need no bucket access.
 */
const MAX_PARTS = 10_000;
const PART_ROUTE = "/api/2.0/mlflow-artifacts/mpu/part/";

const createRequest = z.object({
  path: requiredStr,
  num_parts: int64.refine((n) => n >= 0 && n <= MAX_PARTS, INVALID).optional(),
});
const part = z.object({
  part_number: int64.refine((n) => n >= 1 && n <= MAX_PARTS, INVALID),
  etag: str.optional().default(""),
  url: str.optional(),
});
const completeRequest = z.object({ path: requiredStr, upload_id: requiredStr, parts: repeated(part) });
const abortRequest = z.object({ path: requiredStr, upload_id: requiredStr });

const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

function partNumberOf(raw: string | null): number {
  const n = Number(raw);
  if (!raw || !Number.isInteger(n) || n < 1 || n > MAX_PARTS) {
    throw invalidParameter(`part_number must be an integer between 1 and ${MAX_PARTS}, got '${raw ?? ""}'.`);
  }
  return n;
}

export function multipartEndpoints(store: StoreSource = getArtifactStore) {
  return {
    /** POST /mlflow-artifacts/mpu/create/<path> → {upload_id, credentials: [{url, part_number}]} */
    create: (req: Request, context: PathParams) =>
      respond(async () => {
        const path = await pathParam(context);
        const message = await readMessage(req, createRequest);
        const uploadId = await store().createUpload(path);
        const base = `${requestOrigin(req)}${PART_ROUTE}${encodePath(path)}?upload_id=${encodeURIComponent(uploadId)}`;
        const credentials = Array.from({ length: message.num_parts ?? 0 }, (_, i) => ({
          url: `${base}&part_number=${i + 1}`,
          part_number: i + 1,
        }));
        return json(200, credentials.length ? { upload_id: uploadId, credentials } : { upload_id: uploadId });
      }),

    /** PUT /mlflow-artifacts/mpu/part/<path>?upload_id=&part_number= (a credential's URL): one part's bytes; answers its ETag. */
    uploadPart: (req: Request, context: PathParams) =>
      respond(async () => {
        const path = await pathParam(context);
        const query = new URL(req.url).searchParams;
        const uploadId = query.get("upload_id");
        if (!uploadId) throw invalidParameter("Missing value for required parameter 'upload_id'.");
        const partNumber = partNumberOf(query.get("part_number"));
        const target = store();
        const header = req.headers.get("content-length");
        const length = header === null ? undefined : Number(header);
        if (length !== undefined && length > target.maxBytes) {
          await req.body?.cancel();
          throw new ArtifactTooLargeError(target.maxBytes);
        }
        const uploaded = await target.putPart(path, uploadId, partNumber, bodyOf(req), length);
        return json(200, {}, { etag: uploaded.etag });
      }),

    /** POST /mlflow-artifacts/mpu/complete/<path> {path, upload_id, parts: [{part_number, etag}]} */
    complete: (req: Request, context: PathParams) =>
      respond(async () => {
        const path = await pathParam(context);
        const message = await readMessage(req, completeRequest);
        if (message.parts.length === 0) throw invalidParameter("Missing value for required parameter 'parts'.");
        const numbers = message.parts.map((p) => p.part_number);
        if (new Set(numbers).size !== numbers.length) throw invalidParameter("Each part_number may appear only once in 'parts'.");
        await store().completeUpload(
          path,
          message.upload_id,
          message.parts.map((p) => ({ partNumber: p.part_number, etag: p.etag })),
        );
        return json(200, {});
      }),

    /** POST /mlflow-artifacts/mpu/abort/<path> {path, upload_id} */
    abort: (req: Request, context: PathParams) =>
      respond(async () => {
        const path = await pathParam(context);
        const message = await readMessage(req, abortRequest);
        await store().abortUpload(path, message.upload_id);
        return json(200, {});
      }),
  };
}
