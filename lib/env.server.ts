import "server-only";
import path from "node:path";
import { z } from "zod";
import { parseListenHost, parsePublicOrigins, type PublicOrigin } from "@/scripts/http-guard.mjs";
import { parseRoleMap } from "@/lib/auth/oidc-roles";
import { ROLES } from "@/lib/auth/roles";

/** Parses "true/false/1/0/yes/no/on/off"; anything else is an error naming the value. */
const flag = z.enum(["true", "false", "1", "0", "yes", "no", "on", "off", ""]).transform((v) => ["true", "1", "yes", "on"].includes(v));

const url = (protocols: readonly string[]) =>
  z.url().refine((v) => protocols.some((p) => v.startsWith(`${p}://`)), {
    message: `must start with ${protocols.map((p) => `${p}://`).join(" or ")}`,
  });

/** ClickHouse identifiers we splice into DDL (database, cluster) must be plain names. */
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a plain identifier (letters, digits, _)");

/** A check done by scripts/http-guard.mjs (the server reads these before Next starts), as a zod transform. */
const checkedBy =
  <T>(parse: (value: string | undefined) => T) =>
  (value: string | undefined, ctx: z.RefinementCtx): T => {
    try {
      return parse(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message.replace(/^[A-Z_]+(=".*?")?: /, "") });
      return z.NEVER;
    }
  };

/** Plain http is for a provider on this machine only (tests, a local Keycloak); anything else needs https. */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
const issuerUrl = z.url().refine((v) => v.startsWith("https://") || (v.startsWith("http://") && LOOPBACK.has(new URL(v).hostname)), {
  message: "must start with https:// (http:// only for localhost)",
});

const roleMap = z.string().optional().transform(checkedBy(parseRoleMap));

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** The address the server listens on; unset = 127.0.0.1 (this machine only). docker-compose sets 0.0.0.0. */
  HOST: z.string().optional().transform(checkedBy(parseListenHost)),
  /** Origins the app is reached at besides loopback (comma-separated); other Host headers are refused. */
  LLMOPS_PUBLIC_URL: z
    .string()
    .optional()
    .transform(checkedBy((v): PublicOrigin[] => parsePublicOrigins(v))),
  LLMOPS_DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: url(["postgres", "postgresql"]).optional(),
  CLICKHOUSE_URL: url(["http", "https"]).optional(),
  /** Redis for the gateway's budget counters (lib/budgets); unset: they live in Postgres. */
  LLMOPS_REDIS_URL: url(["redis", "rediss"]).optional(),
  CLICKHOUSE_USER: z.string().default("default"),
  CLICKHOUSE_PASSWORD: z.string().default(""),
  CLICKHOUSE_DATABASE: identifier.default("llmops"),
  CLICKHOUSE_CLUSTER: identifier.optional(),
  /** How long start-up waits for a configured server before giving up, in milliseconds. */
  LLMOPS_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Unset: on when both stores are embedded (a laptop), off with configured servers. */
  LLMOPS_DEMO: flag.optional(),
  /** Where artifacts live: unset = `<LLMOPS_DATA_DIR>/artifacts`; `s3://bucket/prefix` or `file:///abs/path`. */
  LLMOPS_ARTIFACTS_URL: z
    .string()
    .regex(/^(s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?|file:\/\/\/.*)$/, "must be s3://BUCKET[/PREFIX] or file:///ABSOLUTE/PATH")
    .optional(),
  /** An S3-compatible endpoint (MinIO, Ceph…); the SDK also reads AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL. */
  LLMOPS_ARTIFACTS_S3_ENDPOINT: url(["http", "https"]).optional(),
  /** Path-style bucket addressing; unset = on when an endpoint is configured (what S3-compatible servers expect). */
  LLMOPS_ARTIFACTS_S3_PATH_STYLE: flag.optional(),
  /** Largest artifact accepted, in bytes (one upload, or all parts of a multipart upload). */
  LLMOPS_ARTIFACTS_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(5 * 1024 ** 3),
  /** Accounts, keys and roles (lib/auth): on unless set to off explicitly. */
  LLMOPS_AUTH: z.enum(["on", "off", "true", "false", "1", "0", "yes", "no"]).optional(),
  /** The first admin, created when no account exists; without a password one is generated and printed once. */
  LLMOPS_ADMIN_EMAIL: z.email("must be an email address").optional(),
  LLMOPS_ADMIN_PASSWORD: z.string().min(10, "must be at least 10 characters").optional(),
  /** An admin service key with exactly this value is kept in existence (automation, CI, docker-compose). */
  LLMOPS_ADMIN_API_KEY: z.string().min(20, "must be at least 20 characters").max(200).optional(),
  /** Single sign-on (lib/auth/README.md): on when an issuer is set; then the client id and secret are required. */
  LLMOPS_OIDC_ISSUER: issuerUrl.optional(),
  LLMOPS_OIDC_CLIENT_ID: z.string().max(500).optional(),
  LLMOPS_OIDC_CLIENT_SECRET: z.string().max(2_000).optional(),
  /** What the sign-in page's button says: "Sign in with <name>". */
  LLMOPS_OIDC_NAME: z.string().max(60).default("SSO"),
  /** The claim holding the groups (a dotted name reaches into nested claims: `realm_access.roles`). */
  LLMOPS_OIDC_ROLE_CLAIM: z.string().max(200).default("groups"),
  /** `group=role,group=role` (or a JSON object); the highest matching role wins. */
  LLMOPS_OIDC_ROLE_MAP: roleMap,
  /** The role of a person in none of the mapped groups; `none` refuses them. */
  LLMOPS_OIDC_DEFAULT_ROLE: z.enum([...ROLES, "none"]).default("viewer"),
});

export type Env = Omit<z.infer<typeof envSchema>, "LLMOPS_DEMO"> & { LLMOPS_DEMO: boolean; dataDir: string };

export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Validates settings; empty strings count as unset so `FOO=` in a compose file means "default". */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(
    Object.keys(envSchema.shape).map((key) => {
      const value = source[key];
      return [key, value === undefined || value.trim() === "" ? undefined : value.trim()];
    }),
  );
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? "settings");
      const shown =
        key.includes("PASSWORD") || key.includes("API_KEY") || key.includes("SECRET") ? "(hidden)" : JSON.stringify(source[key]);
      return `  ${key}=${shown}: ${issue.message}`;
    });
    throw new SettingsError(`Invalid settings:\n${lines.join("\n")}`);
  }
  const data = result.data;
  const oidc = [data.LLMOPS_OIDC_ISSUER, data.LLMOPS_OIDC_CLIENT_ID, data.LLMOPS_OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    throw new SettingsError(
      "Invalid settings:\n  Single sign-on needs all of LLMOPS_OIDC_ISSUER, LLMOPS_OIDC_CLIENT_ID and LLMOPS_OIDC_CLIENT_SECRET (or none of them)",
    );
  }
  const demo = data.LLMOPS_DEMO ?? (!data.DATABASE_URL && !data.CLICKHOUSE_URL);
  return { ...data, LLMOPS_DEMO: demo, dataDir: path.resolve(data.LLMOPS_DATA_DIR) };
}

let cached: Env | undefined;

/** Settings are read once per process. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
