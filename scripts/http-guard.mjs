// What scripts/server.mjs does to every request before it reaches the gateway or Next.js, in one
// place for every surface: refuse a Host name that is neither localhost nor a configured public
// origin (DNS rebinding; IP addresses pass), and set the security headers (a CSP with a fresh nonce for pages, which
// Next.js reads from the request's content-security-policy header and puts on its own scripts).
// Plain JavaScript because server.mjs runs before Next compiles anything; lib/env.server.ts
// validates the same settings with these functions, and lib/http/http-guard.test.ts tests them.
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import net from "node:net";

export const HOST_SETTING = "HOST";
export const PUBLIC_URL_SETTING = "LLMOPS_PUBLIC_URL";

/** The address to listen on: an IP address or a plain host name; unset means loopback only. */
export function parseListenHost(value) {
  const host = (value ?? "").trim();
  if (!host) return "127.0.0.1";
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (net.isIP(bare) || /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(bare)) return bare;
  throw new Error(`${HOST_SETTING}=${JSON.stringify(value)}: must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name`);
}

/** Whether the listen address is every interface (the URL to print is then not the address itself). */
export const isWildcardHost = (host) => host === "0.0.0.0" || host === "::";

/**
 * `LLMOPS_PUBLIC_URL`: comma-separated origins (`https://llmops.example.com,http://llmops.lan:3000`)
 * the app is reached at besides localhost and IP addresses. Each is normalised to `{ protocol, host }`.
 */
export function parsePublicOrigins(value) {
  const origins = [];
  for (const raw of (value ?? "").split(",")) {
    const text = raw.trim();
    if (!text) continue;
    let url;
    try {
      url = new URL(text);
    } catch {
      throw new Error(`${PUBLIC_URL_SETTING}: "${text}" is not a URL; give origins such as https://llmops.example.com`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new Error(`${PUBLIC_URL_SETTING}: "${text}" must start with http:// or https://`);
    }
    if (url.username || url.password || url.search || url.hash || url.pathname !== "/") {
      throw new Error(`${PUBLIC_URL_SETTING}: "${text}" must be an origin (scheme, host and port only, no path)`);
    }
    origins.push({ protocol: url.protocol, host: url.host, origin: url.origin });
  }
  return origins;
}

// A Host header is a host name, an IPv4 address or a bracketed IPv6 address, with an optional port.
// Anything else (userinfo, paths, spaces) is refused before the URL parser could reinterpret it.
const HOST_HEADER = /^(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function normalisedHost(header, protocol = "http:") {
  if (!HOST_HEADER.test(header)) return undefined;
  try {
    return new URL(`${protocol}//${header}`);
  } catch {
    return undefined;
  }
}

/** localhost, *.localhost, 127.0.0.0/8 and [::1], on any port: names a rebinding page cannot own. */
export function isLoopbackHost(header) {
  const url = normalisedHost(header);
  if (!url) return false;
  const name = url.hostname.toLowerCase().replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (name === "[::1]") return true;
  return net.isIPv4(name) && name.startsWith("127.");
}

/**
 * An IP address rather than a name (`10.0.0.5:3000`, `[fd00::1]`). A browser sends one only when
 * the page's own URL named that address, never after resolving a name, so it cannot come from a
 * DNS-rebinding page; admitting it keeps health checks (Kubernetes probes and load balancers send
 * the target's address) and LAN access by address working without settings.
 */
export function isIpAddressHost(header) {
  const url = normalisedHost(header);
  if (!url) return false;
  return url.hostname.startsWith("[") || net.isIPv4(url.hostname);
}

/**
 * Whether a request naming `header` as its Host may be served: loopback, an IP address, or one of
 * the public origins (host and port, the scheme's default port implied). A name (a rebinding
 * page's own) is refused unless configured; `{ ok: false, message }` says what was refused and
 * which setting admits it.
 */
export function hostDecision(header, publicOrigins) {
  const host = Array.isArray(header) ? header[0] : header;
  if (!host) {
    return {
      ok: false,
      message: `The request has no Host header; this server answers only requests that name it (see ${PUBLIC_URL_SETTING})`,
    };
  }
  if (isLoopbackHost(host) || isIpAddressHost(host)) return { ok: true };
  for (const origin of publicOrigins) {
    if (normalisedHost(host, origin.protocol)?.host === origin.host) return { ok: true };
  }
  const shown = JSON.stringify(host.length > 100 ? `${host.slice(0, 100)}…` : host);
  const configured = publicOrigins.length ? ` (now ${publicOrigins.map((o) => o.origin).join(", ")})` : "";
  return {
    ok: false,
    message:
      `Host ${shown} is not a name this server answers to: it serves localhost, IP addresses and the origins in ` +
      `${PUBLIC_URL_SETTING}${configured}. If you reach the app at this address, add its origin to ${PUBLIC_URL_SETTING} ` +
      `(comma-separated, e.g. ${PUBLIC_URL_SETTING}=https://llmops.example.com); this check stops DNS-rebinding pages.`,
  };
}

// The gateway's TensorZero-compatible paths at the root answer in TensorZero's dialect.
const TENSORZERO_ROOT = new Set(["/inference", "/feedback", "/health", "/status"]);

/**
 * An error body in the path's dialect (lib/http/surface.ts, kept equal by a unit test), for the
 * answers this guard gives: MLflow, the gateway's (OpenAI-shaped, TensorZero's at the root), the app's.
 */
export function guardErrorBody(pathname, gateway, status, code, message) {
  if (/^\/(api\/[23]\.0|ajax-api)(\/|$)/.test(pathname)) {
    return { error_code: status === 404 || status === 405 ? "ENDPOINT_NOT_FOUND" : "INVALID_PARAMETER_VALUE", message };
  }
  if (gateway && TENSORZERO_ROOT.has(pathname.replace(/(.)\/$/, "$1"))) return { error: message };
  if (gateway || /^\/openai(\/|$)/.test(pathname)) {
    return { error: { message, type: "invalid_request_error", code, param: null } };
  }
  return { error: { code, message } };
}

/** Paths answered with data, never a page: they get the strictest policy (no scripts at all). */
const API_PATH = /^\/(api|ajax-api|openai|v1|version)(\/|$)/;

/**
 * The security headers for one response. Pages get a script policy of their nonce plus
 * 'strict-dynamic' (scripts those load), never 'unsafe-inline'; styles keep 'unsafe-inline' because
 * server-rendered style attributes (React's `style`) need it. Development adds what Next's dev
 * server needs ('unsafe-eval' for React's dev tooling, websockets for HMR).
 */
export function securityHeaders({ api, nonce, https = false, dev = false }) {
  const csp = api
    ? ["default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"]
    : [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' blob: data:",
        "font-src 'self' data:",
        `connect-src 'self'${dev ? " ws: wss:" : ""}`,
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        ...(https ? ["upgrade-insecure-requests"] : []),
      ];
  return {
    "content-security-policy": csp.join("; "),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    // same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on same-origin
    // POSTs, which would defeat an Origin-based CSRF check.
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
    "cross-origin-opener-policy": "same-origin",
    ...(https ? { "strict-transport-security": "max-age=31536000" } : {}),
  };
}

/** Over TLS, directly or behind a proxy that says so (HSTS is ignored by browsers over plain HTTP anyway). */
function servedOverHttps(req) {
  if (req.socket?.encrypted) return true;
  const proto = req.headers["x-forwarded-proto"];
  return (Array.isArray(proto) ? proto[0] : proto)?.split(",")[0]?.trim().toLowerCase() === "https";
}

/**
 * Runs before dispatch: answers a refused Host itself (421, in the path's dialect) and returns
 * false; otherwise sets the response's security headers, gives page requests a fresh nonce (in
 * the request's content-security-policy header, where Next.js looks for it, and `x-nonce` for the
 * root layout's own inline script) and returns true.
 */
export function guardRequest(req, res, { publicOrigins, gateway, dev = false }) {
  const pathname = (req.url ?? "/").split("?")[0];
  const decision = hostDecision(req.headers.host, publicOrigins);
  if (!decision.ok) {
    const text = JSON.stringify(guardErrorBody(pathname, gateway, 421, "misdirected_request", decision.message));
    res.writeHead(421, {
      ...securityHeaders({ api: true }),
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      connection: "close",
    });
    res.end(text);
    return false;
  }
  // The client's address as this server saw it, for the audit log and the sign-in rate limit
  // (lib/auth/context.server.ts); a value the client sent under this name is replaced.
  req.headers["x-llmops-client-address"] = req.socket?.remoteAddress ?? "";
  const api = gateway || API_PATH.test(pathname);
  const nonce = api ? undefined : randomBytes(16).toString("base64");
  const headers = securityHeaders({ api, nonce, https: servedOverHttps(req), dev });
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  // Whatever the client sent under these names is replaced: only the server chooses a nonce.
  delete req.headers["content-security-policy-report-only"];
  if (nonce) {
    req.headers["content-security-policy"] = headers["content-security-policy"];
    req.headers["x-nonce"] = nonce;
  } else {
    delete req.headers["content-security-policy"];
    delete req.headers["x-nonce"];
  }
  return true;
}
