import { z } from "zod";
import { abCsv, abReportSchema } from "@/lib/analytics/ab";
import { rangeFromQuery, withRange } from "@/lib/analytics/range";
import { getAbReport } from "@/lib/analytics/service.server";
import { segment } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const query = withRange({
  metric: z.string().min(1).max(200).optional(),
  control: z.string().min(1).max(200).optional(),
  format: z.enum(["json", "csv"]).default("json"),
});

/** A/B results of one metric across the function's variants against `control`; `format=csv` downloads them. */
export const GET = route({
  access: "read",
  params: z.object({ name: segment }),
  query,
  response: abReportSchema,
  handler: async ({ query: q, params, ctx }) => {
    const { name } = params;
    const report = await getAbReport(ctx.stores.clickhouse.client, {
      name,
      metric: q.metric,
      control: q.control,
      range: rangeFromQuery(q),
    });
    if (q.format === "json") return report;
    const file = `ab-${name}-${report.metric.name}-${new Date(report.to).toISOString().slice(0, 10)}.csv`.replace(/[^\w.-]+/g, "_");
    return new Response(abCsv(report), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${file}"` },
    });
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
