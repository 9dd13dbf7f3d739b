import { z } from "zod";
import { publicKey, createKey, listKeys } from "@/lib/auth/keys.server";
import { AuthError } from "@/lib/auth/errors";
import { permissionsOf, ROLES, SCOPES, lowerRole } from "@/lib/auth/roles";
import { userById } from "@/lib/auth/users.server";
import { BadRequestError } from "@/lib/http/errors";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** API keys: an admin sees every key, anyone else their own. */
export const GET = route({
  access: "signed-in",
  handler: async ({ ctx }) => {
    const db = ctx.stores.postgres.db;
    if (ctx.caller.permissions.has("admin")) return { keys: await listKeys(db) };
    return { keys: ctx.caller.userId ? await listKeys(db, ctx.caller.userId) : [] };
  },
});

const createBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: z.enum(ROLES).optional(),
    scope: z.enum(SCOPES).optional(),
    /** A service key belongs to no account (admins only). */
    service: z.boolean().default(false),
    expires_at: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((b) => !(b.role && b.scope), { message: "Give a role or a scope, not both" });

/**
 * Creates a key; the secret is in this answer only (Postgres keeps its SHA-256). A personal key
 * never outranks its account; a service key (admins only) has a role or a scope of its own.
 */
export const POST = route({
  access: "signed-in",
  body: createBody,
  handler: async ({ body, ctx }) => {
    const db = ctx.stores.postgres.db;
    const { caller } = ctx;
    if (body.service && !caller.permissions.has("admin")) throw new AuthError("forbidden", "Only an admin creates service keys");
    if (!body.service && (!caller.userId || caller.kind !== "user")) {
      throw new BadRequestError('Sign in to create a personal key; an admin creates service keys with "service": true');
    }
    let role = body.role ?? null;
    const scope = body.scope ?? null;
    if (!body.service) {
      const owner = await userById(db, caller.userId!);
      const ownerRole = owner.role as (typeof ROLES)[number];
      role = scope ? null : lowerRole(role ?? ownerRole, ownerRole);
      if (scope && ![...permissionsOf(null, scope)].every((p) => caller.permissions.has(p))) {
        throw new AuthError("forbidden", `Your role does not include the ${scope} scope`);
      }
    } else if (!role && !scope) {
      throw new BadRequestError("A service key needs a role or a scope");
    }
    const { row, secret } = await createKey(db, {
      name: body.name,
      userId: body.service ? null : caller.userId,
      role,
      scope,
      createdBy: caller.name,
      expiresAt: body.expires_at ? Date.parse(body.expires_at) : null,
    });
    const key = publicKey(row, body.service ? null : { id: caller.userId!, email: caller.name });
    await ctx.audit.record({ action: "auth.key_created", target: { kind: "api_key", id: row.id }, after: key });
    return { key, secret };
  },
});

export const { PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET, POST });
