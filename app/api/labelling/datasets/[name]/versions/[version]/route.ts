import { z } from "zod";
import { route } from "@/lib/http/route";
import { getDatasetVersion } from "@/lib/labelling/datasets.server";
import { labellingContext } from "@/lib/labelling/http.server";
import { numericPathParam, pathParam } from "@/lib/http/params";
import { datasetVersion } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** One version with its items: JSON by default, or JSON Lines (`?format=jsonl`, one item a line). */
export const GET = route({
  query: z.object({ format: z.enum(["json", "jsonl"]).default("json") }),
  response: datasetVersion,
  handler: async ({ query, params }) => {
    const found = await getDatasetVersion(await labellingContext(), pathParam(params, "name"), numericPathParam(params, "version"));
    if (query.format === "json") return found;
    const lines = found.items.map((item) =>
      JSON.stringify({ inference_id: item.inferenceId, input: item.input, expected_output: item.expectedOutput, labels: item.labels }),
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
