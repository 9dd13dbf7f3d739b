import { surfaceError, surfaceOf } from "./surface";

/**
 * Wrong methods on Next route files. Next answers a method a route file does not export with an
 * empty 405; each route file instead exports every method Next routes, the ones it does not
 * implement answering a JSON 405 in the path's dialect with `Allow`. OPTIONS lists the same.
 * The fuzz suite fails on any route file that leaves a method to Next.
 */
export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

// Route handlers differ in their arguments; only their presence matters here.
type Handler = (...args: never[]) => unknown;

/** Marks a handler that refuses every request unread (a 405 or 404): the fuzz suite sends it no bodies. */
export function refusal<F extends Handler>(handler: F): F & { refusal: true } {
  return Object.assign(handler, { refusal: true as const });
}

export function allowHeader(implemented: readonly string[]): string {
  const allow = new Set(implemented);
  if (allow.has("GET")) allow.add("HEAD");
  allow.add("OPTIONS");
  return [...allow].join(", ");
}

/** The 405 of one path: JSON in the surface's dialect, with `Allow`. */
export function methodNotAllowed(req: Request, implemented: readonly string[]): Response {
  const { pathname } = new URL(req.url);
  const allow = allowHeader(implemented);
  const message = `${req.method} is not allowed on ${pathname.length > 200 ? pathname.slice(0, 200) + "…" : pathname}; it takes ${allow}`;
  return surfaceError(surfaceOf(pathname), 405, "method_not_allowed", message, { allow });
}

/**
 * The remaining methods of a route file, e.g.
 * `export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });`
 * (TypeScript refuses to destructure a method the file implements).
 */
export function refuseOtherMethods<H extends Partial<Record<RouteMethod, Handler>>>(
  implemented: H,
): Record<Exclude<RouteMethod, keyof H> | "OPTIONS", (req: Request) => Promise<Response>> {
  const names = ROUTE_METHODS.filter((m) => implemented[m]);
  const refuse = refusal(async (req: Request) => methodNotAllowed(req, names));
  const out: Record<string, (req: Request) => Promise<Response>> = {
    OPTIONS: async () => new Response(null, { status: 204, headers: { allow: allowHeader(names) } }),
  };
  for (const method of ROUTE_METHODS) if (!implemented[method]) out[method] = refuse;
  return out as Record<Exclude<RouteMethod, keyof H> | "OPTIONS", (req: Request) => Promise<Response>>;
}
