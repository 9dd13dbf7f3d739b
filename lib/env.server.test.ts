import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv, SettingsError } from "./env.server";

describe("parseEnv", () => {
  it("defaults to the embedded stores in ./.data on port 3000", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.CLICKHOUSE_URL).toBeUndefined();
    expect(env.CLICKHOUSE_DATABASE).toBe("llmops");
    expect(env.dataDir).toBe(path.resolve(".data"));
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", CLICKHOUSE_CLUSTER: " " }).DATABASE_URL).toBeUndefined();
  });

  it("names each bad setting and what is wrong with it", () => {
    const attempt = () =>
      parseEnv({ PORT: "eighty", DATABASE_URL: "mysql://x", CLICKHOUSE_DATABASE: "my-db; DROP", CLICKHOUSE_PASSWORD: "" });
    expect(attempt).toThrow(SettingsError);
    expect(attempt).toThrow(/PORT="eighty"/);
    expect(attempt).toThrow(/DATABASE_URL="mysql:\/\/x": must start with postgres:\/\/ or postgresql:\/\//);
    expect(attempt).toThrow(/CLICKHOUSE_DATABASE="my-db; DROP": must be a plain identifier/);
  });

  it("never echoes a password", () => {
    expect(() => parseEnv({ CLICKHOUSE_PASSWORD: "x", LLMOPS_DEMO: "maybe" })).toThrow(/LLMOPS_DEMO="maybe"/);
  });

  it("accepts a server configuration", () => {
    const env = parseEnv({
      DATABASE_URL: "postgres://u:p@db:5432/llmops",
      CLICKHOUSE_URL: "http://clickhouse:8123",
      CLICKHOUSE_CLUSTER: "main",
      LLMOPS_DEMO: "on",
    });
    expect(env.CLICKHOUSE_CLUSTER).toBe("main");
    expect(env.LLMOPS_DEMO).toBe(true);
  });

  it("seeds the demo by default only when both stores are embedded", () => {
    expect(parseEnv({}).LLMOPS_DEMO).toBe(true);
    expect(parseEnv({ DATABASE_URL: "postgres://db/x" }).LLMOPS_DEMO).toBe(false);
    expect(parseEnv({ CLICKHOUSE_URL: "http://ch:8123", LLMOPS_DEMO: "on" }).LLMOPS_DEMO).toBe(true);
  });

  it("reads the artifact store's settings and says what is wrong with a bad one", () => {
    const env = parseEnv({ LLMOPS_ARTIFACTS_URL: "s3://my-bucket/llmops", LLMOPS_ARTIFACTS_S3_ENDPOINT: "http://minio:9000" });
    expect(env.LLMOPS_ARTIFACTS_URL).toBe("s3://my-bucket/llmops");
    expect(env.LLMOPS_ARTIFACTS_MAX_BYTES).toBe(5 * 1024 ** 3);
    expect(parseEnv({ LLMOPS_ARTIFACTS_URL: "file:///srv/artifacts", LLMOPS_ARTIFACTS_MAX_BYTES: "1000" }).LLMOPS_ARTIFACTS_MAX_BYTES).toBe(
      1000,
    );
    expect(() => parseEnv({ LLMOPS_ARTIFACTS_URL: "gs://bucket" })).toThrow(/LLMOPS_ARTIFACTS_URL="gs:\/\/bucket": must be s3:\/\/BUCKET/);
    expect(() => parseEnv({ LLMOPS_ARTIFACTS_MAX_BYTES: "lots" })).toThrow(/LLMOPS_ARTIFACTS_MAX_BYTES/);
  });

  it("listens on loopback by default and reads the public origins the Host check admits", () => {
    expect(parseEnv({}).HOST).toBe("127.0.0.1");
    expect(parseEnv({}).LLMOPS_PUBLIC_URL).toEqual([]);
    const env = parseEnv({ HOST: "0.0.0.0", LLMOPS_PUBLIC_URL: "https://llmops.example.com,http://10.0.0.5:3000" });
    expect(env.HOST).toBe("0.0.0.0");
    expect(env.LLMOPS_PUBLIC_URL.map((o) => o.origin)).toEqual(["https://llmops.example.com", "http://10.0.0.5:3000"]);
  });

  it("says what is wrong with HOST or LLMOPS_PUBLIC_URL", () => {
    const attempt = () => parseEnv({ HOST: "http://0.0.0.0", LLMOPS_PUBLIC_URL: "https://llmops.example.com/app" });
    expect(attempt).toThrow(/HOST="http:\/\/0.0.0.0": must be an IP address/);
    expect(attempt).toThrow(/LLMOPS_PUBLIC_URL="https:\/\/llmops.example.com\/app": "https:\/\/llmops.example.com\/app" must be an origin/);
  });
});
