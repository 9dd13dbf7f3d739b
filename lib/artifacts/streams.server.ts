import "server-only";
import { Readable, Transform } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import { ArtifactTooLargeError } from "./errors";

/**
 * Fetch's ReadableStream and Node's web stream are the same object at run time; TypeScript has
 * two declarations of it (DOM and node:stream/web), so the conversion is spelled out once here.
 */
export const toNodeReadable = (body: ReadableStream<Uint8Array>): Readable => Readable.fromWeb(body as unknown as NodeWebStream);

export const toWebStream = (readable: Readable): ReadableStream<Uint8Array> =>
  Readable.toWeb(readable) as unknown as ReadableStream<Uint8Array>;

/** Passes bytes through and fails the pipeline as soon as more than `maxBytes` went by. */
export function byteLimit(maxBytes: number): Transform & { bytes(): number } {
  let seen = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new ArtifactTooLargeError(maxBytes));
      else callback(null, chunk);
    },
  });
  return Object.assign(transform, { bytes: () => seen });
}
