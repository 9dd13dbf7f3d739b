import { z } from "zod";
import { datasetsContextOf } from "@/lib/datasets/http.server";
import { datasetVersion } from "@/lib/datasets/schemas";
import { getDatasetVersion } from "@/lib/datasets/store.server";
import { route } from "@/lib/http/route";
import { segment, wholeNumberSegment } from "@/lib/http/params";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** One version with its items: JSON by default, or JSON Lines (`?format=jsonl`, one item a line). */
export const GET = route({
  access: "read",
  params: z.object({ name: segment, version: wholeNumberSegment }),
  query: z.object({ format: z.enum(["json", "jsonl"]).default("json") }),
  response: datasetVersion,
  handler: async ({ query, params, ctx }) => {
    const found = await getDatasetVersion(datasetsContextOf(ctx), params.name, params.version);
    if (query.format === "json") return found;
    const lines = found.items.map((item) =>
      JSON.stringify({
        inference_id: item.inferenceId,
        input: JSON.parse(item.input) as unknown,
        expected_output: item.expectedOutput,
        context: item.context,
        assertions: item.assertions,
        tags: item.tags,
        labels: item.labels,
      }),
    );
    return new Response(lines.join("\n") + (lines.length ? "\n" : ""), {
      headers: {
        "content-type": "application/x-ndjson; charset=utf-8",
        "content-disposition": `attachment; filename="${found.name}-v${found.version}.jsonl"`,
        "x-dataset-digest": found.digest,
      },
    });
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
