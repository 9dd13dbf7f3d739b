import { rm } from "node:fs/promises";
import S3rver from "s3rver";
import { openS3Store } from "@/lib/artifacts/s3-store.server";
import type { ArtifactStore } from "@/lib/artifacts/store";
import { tmpDir } from "./postgres";

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** A store on the bucket under `prefix`, with the given size limit. */
  store(prefix: string, maxBytes?: number): ArtifactStore;
  cleanup(): Promise<void>;
}

/**
 * A local S3-compatible server (s3rver, files in a temporary folder) on an ephemeral port, with
 * one bucket; the official AWS SDK talks to it exactly as to S3 (path-style, fixed credentials).
 */
export async function startTestS3(): Promise<TestS3> {
  const directory = await tmpDir("s3rver");
  const bucket = "llmops-artifacts";
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  process.env.AWS_ACCESS_KEY_ID = "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
  process.env.AWS_REGION = "us-east-1";
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    store: (prefix, maxBytes = 1024 ** 3) => openS3Store({ bucket, prefix, endpoint, forcePathStyle: true, maxBytes }),
    async cleanup() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
