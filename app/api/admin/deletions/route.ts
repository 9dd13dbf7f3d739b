import { z } from "zod";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { deleteData } from "@/lib/retention/deletion.server";

export const dynamic = "force-dynamic";

/**
 * Deletion on request (an admin action): every inference of a `user` (tag), an `episode_id`, a
 * `tag` {key, value} or a time range (`from`, `to`, epoch ms), with their model calls, feedback
 * and Postgres copies. `dry_run: true` (the default) only counts. Each request is recorded.
 */
const body = z.object({ selector: z.unknown(), dry_run: z.boolean().default(true) });

const response = z.object({ id: z.string(), dryRun: z.boolean(), counts: z.record(z.string(), z.number()), truncated: z.boolean() });

export const POST = route({
  access: "admin",
  body,
  response,
  handler: async ({ body: input, ctx }) => {
    const { stores } = ctx;
    const result = await deleteData(
      { db: stores.postgres.db, clickhouse: stores.clickhouse.client, cluster: stores.clickhouse.cluster },
      input.selector,
      { dryRun: input.dry_run },
    );
    await ctx.audit.record({
      action: result.dryRun ? "retention.deletion_counted" : "retention.deleted",
      target: { kind: "deletion", id: result.id },
      before: { selector: input.selector },
      after: { counts: result.counts, truncated: result.truncated },
    });
    return result;
  },
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
