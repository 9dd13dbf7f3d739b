import "server-only";
import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { MlflowError, invalidParameter } from "@/lib/stores/mlflow-errors";
import { ArtifactTooLargeError, isDirectory, unknownUpload } from "./errors";
import { contentType } from "./mime";
import type { ArtifactBody, ArtifactStore, ByteRange, FileInfo } from "./store";
import { byteLimit, toNodeReadable, toWebStream } from "./streams.server";

export interface S3StoreOptions {
  bucket: string;
  /** Key prefix without leading or trailing slash ("" for the bucket's root). */
  prefix: string;
  endpoint?: string;
  forcePathStyle: boolean;
  maxBytes: number;
}

/** Upload buffers at most PART_SIZE × QUEUE_SIZE bytes per request, whatever the file's size. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;
const DELETE_BATCH = 1000;

/** The S3 error code of a failed call (the SDK does not always type unknown codes as S3ServiceException). */
const s3Code = (error: unknown): string => (error instanceof S3ServiceException || error instanceof Error ? error.name : "");
const is = (error: unknown, ...codes: string[]) => codes.includes(s3Code(error));
const notFound = (error: unknown) =>
  is(error, "NoSuchKey", "NotFound") || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404);

/**
 * Artifacts as objects in an S3-compatible bucket, through the official AWS SDK v3 (credentials,
 * region and endpoint from the usual AWS_* settings). Folders are key prefixes, listed with a
 * "/" delimiter. Checksums are sent only where S3 requires them: streamed bodies then go as plain
 * bytes, which every S3-compatible server understands (newer SDKs otherwise wrap them in aws-chunked).
 */
export function openS3Store(options: S3StoreOptions): ArtifactStore {
  const client = new S3Client({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const Bucket = options.bucket;
  const objectKey = (path: string) => [options.prefix, path].filter(Boolean).join("/");
  const folderPrefix = (path: string) => (objectKey(path) ? `${objectKey(path)}/` : "");

  async function isFolder(path: string): Promise<boolean> {
    const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: folderPrefix(path), MaxKeys: 1 }));
    return (page.KeyCount ?? 0) > 0;
  }

  async function* keysUnder(prefix: string): AsyncGenerator<string> {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) yield object.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async function deleteKeys(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
  }

  /** The upload's parts by number, or undefined when the server does not implement ListParts. */
  async function listParts(path: string, uploadId: string): Promise<Map<number, { etag: string; size: number }> | undefined> {
    const parts = new Map<number, { etag: string; size: number }>();
    let marker: string | undefined;
    try {
      do {
        const page = await client.send(
          new ListPartsCommand({ Bucket, Key: objectKey(path), UploadId: uploadId, PartNumberMarker: marker }),
        );
        for (const p of page.Parts ?? []) parts.set(p.PartNumber ?? 0, { etag: p.ETag ?? "", size: p.Size ?? 0 });
        marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
      } while (marker);
    } catch (error) {
      if (is(error, "NoSuchUpload")) throw unknownUpload(uploadId);
      if (is(error, "MethodNotAllowed", "NotImplemented")) return undefined;
      throw error;
    }
    return parts;
  }

  return {
    kind: "s3",
    location: `s3://${[Bucket, options.prefix].filter(Boolean).join("/")}`,
    maxBytes: options.maxBytes,

    async put(path, body) {
      const limit = byteLimit(options.maxBytes);
      const source = toNodeReadable(body).pipe(limit);
      const upload = new Upload({
        client,
        params: { Bucket, Key: objectKey(path), Body: source, ContentType: contentType(path) },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
      });
      // The limiter errors on its own stream; surface that error rather than the SDK's abort.
      let tooLarge: unknown;
      limit.once("error", (error) => {
        tooLarge = error;
        void upload.abort();
      });
      try {
        await upload.done();
      } catch (error) {
        throw tooLarge instanceof ArtifactTooLargeError ? tooLarge : error;
      }
      return { size: limit.bytes() };
    },

    async get(path, range?: ByteRange): Promise<ArtifactBody | undefined> {
      try {
        const Range = range ? `bytes=${range.start}-${range.end ?? ""}` : undefined;
        const object = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(path), Range }));
        if (!(object.Body instanceof Readable)) throw new Error("S3 returned a body that is not a Node stream");
        const size = object.ContentLength ?? 0;
        const match = /bytes (\d+)-(\d+)\/(\d+)/.exec(object.ContentRange ?? "");
        if (range && match) {
          return {
            stream: toWebStream(object.Body),
            size,
            total: Number(match[3]),
            range: { start: Number(match[1]), end: Number(match[2]) },
          };
        }
        return { stream: toWebStream(object.Body), size, total: size };
      } catch (error) {
        if (is(error, "InvalidRange")) {
          const head = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(path) }));
          return { stream: new Blob([]).stream(), size: 0, total: head.ContentLength ?? 0 };
        }
        if (!notFound(error)) throw error;
        if (await isFolder(path)) throw isDirectory(path);
        return undefined;
      }
    },

    async list(path): Promise<FileInfo[]> {
      const prefix = folderPrefix(path);
      const infos: FileInfo[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, Delimiter: "/", ContinuationToken: token }));
        for (const folder of page.CommonPrefixes ?? []) {
          if (folder.Prefix) infos.push({ path: folder.Prefix.slice(prefix.length, -1), isDir: true });
        }
        for (const object of page.Contents ?? []) {
          // A zero-byte "folder/" marker some tools create is the folder itself, not a child.
          if (object.Key && object.Key !== prefix)
            infos.push({ path: object.Key.slice(prefix.length), isDir: false, size: object.Size ?? 0 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return infos.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },

    async delete(path) {
      const batch: string[] = path ? [objectKey(path)] : [];
      for await (const key of keysUnder(folderPrefix(path))) {
        batch.push(key);
        if (batch.length === DELETE_BATCH) await deleteKeys(batch.splice(0));
      }
      await deleteKeys(batch);
    },

    async createUpload(path) {
      const created = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: objectKey(path), ContentType: contentType(path) }));
      if (!created.UploadId) throw new Error("S3 created a multipart upload without an UploadId");
      return created.UploadId;
    },

    async putPart(path, uploadId, partNumber, body, length) {
      // S3 needs each part's length up front; parts come from clients that send Content-Length.
      if (length === undefined) throw invalidParameter("A part upload needs a Content-Length header.");
      if (length > options.maxBytes) throw new ArtifactTooLargeError(options.maxBytes);
      try {
        const uploaded = await client.send(
          new UploadPartCommand({
            Bucket,
            Key: objectKey(path),
            UploadId: uploadId,
            PartNumber: partNumber,
            ContentLength: length,
            Body: toNodeReadable(body),
          }),
        );
        return { partNumber, etag: uploaded.ETag ?? "" };
      } catch (error) {
        if (is(error, "NoSuchUpload")) throw unknownUpload(uploadId);
        throw error;
      }
    },

    async completeUpload(path, uploadId, parts) {
      // Check the parts against what the bucket holds first, so every store refuses a wrong etag
      // and an oversized total alike; a server without ListParts is left to its own checks.
      const stored = await listParts(path, uploadId);
      if (stored) {
        let total = 0;
        for (const part of parts) {
          const held = stored.get(part.partNumber);
          if (!held || held.etag.replaceAll('"', "") !== part.etag.replaceAll('"', "")) {
            throw invalidParameter(`Part ${part.partNumber} of upload '${uploadId}' was not uploaded, or its etag does not match.`);
          }
          total += held.size;
        }
        if (total > options.maxBytes) throw new ArtifactTooLargeError(options.maxBytes);
      }
      try {
        await client.send(
          new CompleteMultipartUploadCommand({
            Bucket,
            Key: objectKey(path),
            UploadId: uploadId,
            MultipartUpload: {
              Parts: [...parts].sort((a, b) => a.partNumber - b.partNumber).map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
            },
          }),
        );
      } catch (error) {
        if (is(error, "NoSuchUpload")) throw unknownUpload(uploadId);
        if (is(error, "InvalidPart", "InvalidPartOrder", "EntityTooSmall")) {
          throw invalidParameter(`Cannot complete upload '${uploadId}': ${(error as Error).message}`);
        }
        throw error;
      }
      if (!stored) {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(path) }));
        if ((head.ContentLength ?? 0) > options.maxBytes) {
          await deleteKeys([objectKey(path)]);
          throw new ArtifactTooLargeError(options.maxBytes);
        }
      }
    },

    async abortUpload(path, uploadId) {
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key: objectKey(path), UploadId: uploadId }));
      } catch (error) {
        if (is(error, "NoSuchUpload")) throw unknownUpload(uploadId);
        if (is(error, "MethodNotAllowed", "NotImplemented")) {
          throw new MlflowError(
            "NOT_IMPLEMENTED",
            `The S3-compatible server at ${options.endpoint ?? "S3"} does not implement AbortMultipartUpload.`,
          );
        }
        throw error;
      }
    },
  };
}
