import "server-only";
import { hkdfSync } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";
import * as client from "openid-client";
import { getEnv, type Env } from "@/lib/env.server";
import { AppError, BadRequestError, NotFoundError } from "@/lib/http/errors";
import { isHttps } from "./cookies";
import { AuthError } from "./errors";
import { groupsIn, type RoleMapping } from "./oidc-roles";
import type { Role } from "./roles";

/**
 * OpenID Connect single sign-on with openid-client (panva's maintained, certified client):
 * discovery, the authorization code flow with PKCE, state and nonce. App servers keep no state, so
 * the flow's secrets travel in a short-lived, HTTP-only cookie encrypted with a key derived from
 * the client secret (jose's JWE: A256GCM): every instance can read it, no browser can forge it.
 */
export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  name: string;
  roleClaim: string;
  roleMap: RoleMapping[];
  defaultRole: Role | null;
}

export function oidcSettings(env: Env = getEnv()): OidcSettings | null {
  if (!env.LLMOPS_OIDC_ISSUER || !env.LLMOPS_OIDC_CLIENT_ID || !env.LLMOPS_OIDC_CLIENT_SECRET) return null;
  return {
    issuer: new URL(env.LLMOPS_OIDC_ISSUER),
    clientId: env.LLMOPS_OIDC_CLIENT_ID,
    clientSecret: env.LLMOPS_OIDC_CLIENT_SECRET,
    name: env.LLMOPS_OIDC_NAME,
    roleClaim: env.LLMOPS_OIDC_ROLE_CLAIM,
    roleMap: env.LLMOPS_OIDC_ROLE_MAP,
    defaultRole: env.LLMOPS_OIDC_DEFAULT_ROLE === "none" ? null : env.LLMOPS_OIDC_DEFAULT_ROLE,
  };
}

/** What the sign-in page needs to offer the button (GET /api/auth/me → `oidc`). */
export function oidcSummary(): { enabled: boolean; name: string | null } {
  const settings = oidcSettings();
  return { enabled: settings !== null, name: settings?.name ?? null };
}

export function requireOidc(): OidcSettings {
  const settings = oidcSettings();
  if (!settings)
    throw new NotFoundError(
      "Single sign-on is not configured (set LLMOPS_OIDC_ISSUER, LLMOPS_OIDC_CLIENT_ID and LLMOPS_OIDC_CLIENT_SECRET)",
    );
  return settings;
}

// One discovery per process and issuer; a failed one is forgotten so the next sign-in tries again.
let discovered: { key: string; config: Promise<client.Configuration> } | undefined;

async function configuration(settings: OidcSettings): Promise<client.Configuration> {
  const key = `${settings.issuer.href}\n${settings.clientId}\n${settings.clientSecret}`;
  if (discovered?.key !== key) {
    const config = client.discovery(settings.issuer, settings.clientId, undefined, client.ClientSecretBasic(settings.clientSecret), {
      // Settings allow plain http only for a provider on this machine.
      execute: settings.issuer.protocol === "http:" ? [client.allowInsecureRequests] : [],
      timeout: 10,
    });
    discovered = { key, config };
    config.catch(() => {
      if (discovered?.config === config) discovered = undefined;
    });
  }
  try {
    return await discovered.config;
  } catch (error) {
    throw new AppError("bad_gateway", `The identity provider at ${settings.issuer.href} did not answer discovery: ${describe(error)}`);
  }
}

/**
 * The app's origin as the browser sees it: the first LLMOPS_PUBLIC_URL origin, else the Host the
 * browser sent (Next's `req.url` says `localhost` for 127.0.0.1, which a provider would not match).
 */
export function publicOrigin(req: Request, env: Pick<Env, "LLMOPS_PUBLIC_URL"> = getEnv()): string {
  const configured = env.LLMOPS_PUBLIC_URL[0]?.origin;
  if (configured) return configured;
  const host = req.headers.get("host");
  return host ? `${isHttps(req) ? "https" : "http"}://${host}` : new URL(req.url).origin;
}

export const OIDC_COOKIE = "llmops_oidc";
const COOKIE_PATH = "/api/auth/oidc";
const FLOW_SECONDS = 600;

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  next: string;
}

function cookieKey(settings: OidcSettings): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", settings.clientSecret, "llmops", "llmops oidc flow cookie", 32));
}

/** Only a path on this origin: `/runs?x=1`, never `//evil.example` or `https://…`. */
export function safeNext(next: string | undefined): string {
  const control = [...(next ?? "")].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || control) return "/";
  const url = new URL(next, "http://app.invalid");
  return url.origin === "http://app.invalid" ? `${url.pathname}${url.search}${url.hash}` : "/";
}

/** The provider's authorization URL, and the cookie that carries the flow's secrets to the callback. */
export async function beginSignIn(req: Request, next: string | undefined): Promise<{ location: string; cookie: string }> {
  const settings = requireOidc();
  const config = await configuration(settings);
  const flow: Flow = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    redirectUri: `${publicOrigin(req)}${COOKIE_PATH}/callback`,
    next: safeNext(next),
  };
  const supported = config.serverMetadata().scopes_supported ?? [];
  // Many providers release groups only for a scope of that name; ask for it where it exists.
  const scope = ["openid", "email", "profile", ...(supported.includes(settings.roleClaim) ? [settings.roleClaim] : [])].join(" ");
  const location = client.buildAuthorizationUrl(config, {
    redirect_uri: flow.redirectUri,
    scope,
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: "S256",
  });
  const sealed = await new EncryptJWT({ ...flow })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(`${FLOW_SECONDS}s`)
    .encrypt(cookieKey(settings));
  return { location: location.href, cookie: flowCookie(req, sealed, FLOW_SECONDS) };
}

function flowCookie(req: Request, value: string, maxAge: number): string {
  return [
    `${OIDC_COOKIE}=${value}`,
    `Path=${COOKIE_PATH}`,
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAge}`,
    ...(isHttps(req) ? ["Secure"] : []),
  ].join("; ");
}

export function clearedFlowCookie(req: Request): string {
  return flowCookie(req, "", 0);
}

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

async function readFlow(req: Request, settings: OidcSettings): Promise<Flow> {
  const sealed = cookieValue(req, OIDC_COOKIE);
  const again = "start again from the sign-in page";
  if (!sealed) throw new BadRequestError(`This sign-in did not start here, or took over ${FLOW_SECONDS / 60} minutes: ${again}`);
  try {
    const { payload } = await jwtDecrypt(sealed, cookieKey(settings));
    const { state, nonce, verifier, redirectUri, next } = payload;
    if ([state, nonce, verifier, redirectUri, next].every((v) => typeof v === "string")) {
      return { state, nonce, verifier, redirectUri, next } as Flow;
    }
  } catch {
    // Expired, tampered with, or sealed under another client secret: all mean the same to the user.
  }
  throw new BadRequestError(`This sign-in's state is expired or not valid: ${again}`);
}

export interface OidcIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  groups: string[];
  next: string;
}

/** The callback: checks state, exchanges the code (PKCE), validates the ID token (nonce), reads the claims. */
export async function completeSignIn(req: Request): Promise<OidcIdentity> {
  const settings = requireOidc();
  const flow = await readFlow(req, settings);
  const config = await configuration(settings);
  const params = new URL(req.url).searchParams;
  // The provider redirected to the URI we sent; the token request must name that one exactly,
  // whatever host or proxy the request came through.
  const current = new URL(flow.redirectUri);
  for (const [key, value] of params) current.searchParams.append(key, value);
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    throw refusal(error, settings);
  }
  const idClaims = tokens.claims();
  if (!idClaims) throw new AuthError("unauthenticated", "The identity provider sent no ID token");
  let claims: Record<string, unknown> = { ...idClaims };
  // Providers often keep email and groups out of the ID token and release them at userinfo.
  const missing = claims.email === undefined || groupsIn(claims, settings.roleClaim).length === 0;
  if (missing && config.serverMetadata().userinfo_endpoint) {
    try {
      claims = { ...(await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)), ...claims };
    } catch (error) {
      throw refusal(error, settings);
    }
  }
  const issuer = config.serverMetadata().issuer;
  return {
    subject: `${issuer}|${idClaims.sub}`,
    email: typeof claims.email === "string" ? claims.email : null,
    emailVerified: claims.email_verified === true,
    name: typeof claims.name === "string" ? claims.name : null,
    groups: groupsIn(claims, settings.roleClaim),
    next: flow.next,
  };
}

/** What went wrong, in the app's dialect: the user's or the provider's refusal is a 400/401, a provider that cannot be reached a 502. */
function refusal(error: unknown, settings: OidcSettings): AppError {
  // At the authorization step (the person cancelled) or the token step (a spent or foreign code).
  if (error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError) {
    return new AuthError("unauthenticated", `${settings.name} refused the sign-in: ${error.error_description ?? error.error}`);
  }
  if (error instanceof client.ClientError && PROVIDER_FAULTS.has(error.code ?? "")) {
    return new AppError("bad_gateway", `${settings.name} did not answer as expected: ${describe(error)}`);
  }
  if ((error instanceof TypeError && !(error instanceof client.ClientError)) || (error instanceof Error && error.name === "TimeoutError")) {
    return new AppError("bad_gateway", `${settings.name} could not be reached: ${describe(error)}`);
  }
  // State, issuer, nonce, signature, audience or expiry did not check out.
  return new BadRequestError(`The sign-in response did not check out (${describe(error)}): start again from the sign-in page`);
}

const PROVIDER_FAULTS = new Set(["OAUTH_RESPONSE_IS_NOT_CONFORM", "OAUTH_RESPONSE_IS_NOT_JSON"]);

/** openid-client's messages are generic ("unexpected JWT claim value encountered"); the cause says which. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error && error.cause.message !== error.message ? `${error.message}: ${error.cause.message}` : error.message;
}
