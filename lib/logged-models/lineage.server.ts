import "server-only";
import { inArray } from "drizzle-orm";
import { loggedModels } from "@/db/schema";
import type { KindHandler } from "@/lib/lineage/types";

/** Lineage nodes of kind `logged_model`: labelled by name, linked to their run's Artifacts tab. */
export const loggedModelHandler: KindHandler = {
  async describe(ctx, ids) {
    const rows = await ctx.db
      .select({
        id: loggedModels.modelId,
        name: loggedModels.name,
        experimentId: loggedModels.experimentId,
        runId: loggedModels.sourceRunId,
      })
      .from(loggedModels)
      .where(inArray(loggedModels.modelId, ids));
    return new Map(
      rows.map((r) => [
        r.id,
        {
          label: `${r.name} (logged model)`,
          href: r.runId ? `/experiments/${r.experimentId}/runs/${r.runId}?tab=artifacts&root=${r.id}` : undefined,
        },
      ]),
    );
  },
};
