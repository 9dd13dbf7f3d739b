import "server-only";
import { getGateway } from "@/lib/gateway/runtime.server";
import { BadRequestError } from "@/lib/http/errors";
import { fieldMetricProblems } from "./metrics";
import type { LabelField } from "./schemas";

/** Checks label fields against the metrics declared in the running gateway's config (400 on a clash). */
export async function checkFieldMetrics(fields: LabelField[]): Promise<void> {
  const { config } = await getGateway();
  const problems = fieldMetricProblems(fields, new Map(Object.entries(config.metrics)));
  if (problems.length > 0) throw new BadRequestError(problems.join("; "));
}
