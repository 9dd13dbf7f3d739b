import "server-only";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getEnv, type Env } from "@/lib/env.server";
import { openLocalStore } from "./local-store.server";
import { openS3Store } from "./s3-store.server";
import type { ArtifactStore } from "./store";

/** The store LLMOPS_ARTIFACTS_URL names: a folder under the data folder by default, or a bucket. */
export function openArtifactStore(env: Env): ArtifactStore {
  const url = env.LLMOPS_ARTIFACTS_URL;
  const maxBytes = env.LLMOPS_ARTIFACTS_MAX_BYTES;
  if (!url) return openLocalStore(path.join(env.dataDir, "artifacts"), maxBytes);
  if (url.startsWith("file://")) return openLocalStore(path.resolve(fileURLToPath(url)), maxBytes);
  const { hostname: bucket, pathname } = new URL(url);
  const endpoint = env.LLMOPS_ARTIFACTS_S3_ENDPOINT ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  return openS3Store({
    bucket,
    prefix: pathname.replace(/^\/+|\/+$/g, ""),
    endpoint: env.LLMOPS_ARTIFACTS_S3_ENDPOINT,
    forcePathStyle: env.LLMOPS_ARTIFACTS_S3_PATH_STYLE ?? Boolean(endpoint),
    maxBytes,
  });
}

// Holds configuration only (no state that instances must agree on); on globalThis because Next
// bundles each route separately.
const REGISTRY = Symbol.for("llmops.artifacts");

export function getArtifactStore(): ArtifactStore {
  const holder = globalThis as { [REGISTRY]?: ArtifactStore };
  holder[REGISTRY] ??= openArtifactStore(getEnv());
  return holder[REGISTRY];
}
