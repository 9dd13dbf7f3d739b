import { describe, expect, it } from "vitest";
import { artifactPath } from "./paths";
import { proxiedRoot, requireProxiedRoot } from "./uri";

describe("artifactPath", () => {
  it("normalises redundant separators and dots", () => {
    expect(artifactPath("1//run/./artifacts/model/")).toBe("1/run/artifacts/model");
    expect(artifactPath("")).toBe("");
    expect(artifactPath("a%20b/c%2Fd")).toBe("a b/c/d");
  });

  it("refuses what could leave the root, however it is encoded", () => {
    for (const bad of [
      "../x",
      "a/../../x",
      "%2e%2e/x",
      "%252e%252e/x",
      "/etc/passwd",
      "%2Fetc",
      "C:/x",
      "a\\b",
      "a%5Cb",
      "a\u0000b",
      "a%00b",
      "a#b",
    ]) {
      expect(() => artifactPath(bad), bad).toThrow(/^Invalid path/);
    }
  });

  it("refuses over-long names", () => {
    expect(() => artifactPath("a".repeat(256))).toThrow(/longer than 255 bytes/);
    expect(() => artifactPath(Array.from({ length: 10 }, () => "b".repeat(200)).join("/"))).toThrow(/longer than 1024 bytes/);
  });
});

describe("proxiedRoot", () => {
  it("reads the storage path of mlflow-artifacts and proxy URLs", () => {
    expect(proxiedRoot("mlflow-artifacts:/1/abc/artifacts")).toBe("1/abc/artifacts");
    expect(proxiedRoot("mlflow-artifacts://host:5000/1/abc/artifacts")).toBe("1/abc/artifacts");
    expect(proxiedRoot("http://h:5000/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts")).toBe("1/abc/artifacts");
    expect(proxiedRoot("s3://bucket/1/abc/artifacts")).toBeUndefined();
    expect(() => requireProxiedRoot("file:///tmp/x", "run r")).toThrow(/does not serve/);
  });
});
