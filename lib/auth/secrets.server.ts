import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

/**
 * The only secret handling in the app: argon2id (the maintained @node-rs/argon2 binding, OWASP's
 * default parameters) for passwords, which are guessable; SHA-256 for session tokens and API keys,
 * which are 256-bit random values, so a slow hash would add nothing but latency on every request.
 */
export const KEY_PREFIX = "llmops_";

export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

export function newApiKeySecret(): string {
  return `${KEY_PREFIX}${randomToken()}`;
}

export function digest(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so both answers take as long. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomToken());
  return decoy;
}

export const MIN_PASSWORD_LENGTH = 10;
