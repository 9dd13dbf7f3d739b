import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env.server";
import { openArtifactStore } from "./index.server";

describe("openArtifactStore", () => {
  it("keeps artifacts under the data folder by default, in a folder or a bucket when configured", () => {
    const local = openArtifactStore(parseEnv({ LLMOPS_DATA_DIR: "/srv/llmops" }));
    expect({ kind: local.kind, location: local.location, max: local.maxBytes }).toEqual({
      kind: "local",
      location: path.join("/srv/llmops", "artifacts"),
      max: 5 * 1024 ** 3,
    });
    expect(openArtifactStore(parseEnv({ LLMOPS_ARTIFACTS_URL: "file:///mnt/shared/art" })).location).toBe("/mnt/shared/art");
    const s3 = openArtifactStore(
      parseEnv({ LLMOPS_ARTIFACTS_URL: "s3://team-bucket/llmops/artifacts/", LLMOPS_ARTIFACTS_MAX_BYTES: "10" }),
    );
    expect({ kind: s3.kind, location: s3.location, max: s3.maxBytes }).toEqual({
      kind: "s3",
      location: "s3://team-bucket/llmops/artifacts",
      max: 10,
    });
    expect(openArtifactStore(parseEnv({ LLMOPS_ARTIFACTS_URL: "s3://team-bucket" })).location).toBe("s3://team-bucket");
  });
});
