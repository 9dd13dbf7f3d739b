/**
 * The storage behind the artifact proxy: a folder (local-store.server.ts) or an S3-compatible
 * bucket (s3-store.server.ts). Paths are normalised relative paths (lib/artifacts/paths.ts), `""`
 * the root. Bodies stream in both directions; no implementation holds a whole file in memory.
 */
export interface FileInfo {
  /** The entry's name within the listed folder. */
  path: string;
  isDir: boolean;
  /** Bytes; unset for folders. */
  size?: number;
}

export interface ByteRange {
  start: number;
  /** Inclusive; unset reads to the end. */
  end?: number;
}

export interface ArtifactBody {
  stream: ReadableStream<Uint8Array>;
  /** Bytes in `stream`. */
  size: number;
  /** The whole file's size, and the range served when one was asked for. */
  total: number;
  range?: { start: number; end: number };
}

export interface UploadedPart {
  partNumber: number;
  etag: string;
}

export interface ArtifactStore {
  readonly kind: "local" | "s3";
  /** Where the artifacts are, for logs and health (no credentials). */
  readonly location: string;
  /** Largest artifact accepted, in bytes. */
  readonly maxBytes: number;
  put(path: string, body: ReadableStream<Uint8Array>): Promise<{ size: number }>;
  /** The file, or undefined when nothing is there; a folder is an ArtifactIsDirectoryError. */
  get(path: string, range?: ByteRange): Promise<ArtifactBody | undefined>;
  /** The folder's direct children sorted by name; empty for a file or a missing folder, as MLflow lists. */
  list(path: string): Promise<FileInfo[]>;
  /** Removes a file or a folder with everything under it; nothing there is not an error. */
  delete(path: string): Promise<void>;
  createUpload(path: string): Promise<string>;
  putPart(path: string, uploadId: string, partNumber: number, body: ReadableStream<Uint8Array>, length?: number): Promise<UploadedPart>;
  completeUpload(path: string, uploadId: string, parts: UploadedPart[]): Promise<void>;
  abortUpload(path: string, uploadId: string): Promise<void>;
}
