import "server-only";
import { inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client.server";
import { runModelInputs, runModelOutputs } from "@/db/schema";

export interface RunModelLinks {
  inputs: { modelId: string }[];
  outputs: { modelId: string; step: number }[];
}

/** Each run's logged-model inputs and outputs, for the Run entity (kept apart to avoid an import cycle with lib/tracking). */
export async function modelLinksOfRuns(db: DbOrTx, runIds: string[]): Promise<Map<string, RunModelLinks>> {
  const links = new Map<string, RunModelLinks>(runIds.map((id) => [id, { inputs: [], outputs: [] }]));
  if (runIds.length === 0) return links;
  const [inputs, outputs] = await Promise.all([
    db.select().from(runModelInputs).where(inArray(runModelInputs.runId, runIds)),
    db.select().from(runModelOutputs).where(inArray(runModelOutputs.runId, runIds)),
  ]);
  for (const i of inputs) links.get(i.runId)?.inputs.push({ modelId: i.modelId });
  for (const o of outputs) links.get(o.runId)?.outputs.push({ modelId: o.modelId, step: o.step });
  return links;
}
