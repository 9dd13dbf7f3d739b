import { z } from "zod";
import { trackingContext } from "@/lib/experiments/context.server";
import { moveAlias, removeAlias } from "@/lib/registry/dashboard.server";
import { aliasMoveBody } from "@/lib/registry/dashboard-schemas";
import { pathParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const reply = z.object({ aliases: z.array(z.object({ alias: z.string(), version: z.number() })) });

/** POST `{alias, version}`: points the alias at the version (moving it), MLflow's alias rules apply. */
export const POST = route({
  body: aliasMoveBody,
  response: reply,
  handler: async ({ params, body }) => moveAlias(await trackingContext(), pathParam(params, "name"), body.alias, body.version),
});

/** DELETE `?alias=`: removes the alias. */
export const DELETE = route({
  query: z.object({ alias: z.string().min(1).max(255) }),
  response: reply,
  handler: async ({ params, query }) => removeAlias(await trackingContext(), pathParam(params, "name"), query.alias),
});

export const { GET, PUT, PATCH, OPTIONS } = refuseOtherMethods({ POST, DELETE });
