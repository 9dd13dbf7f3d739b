import "server-only";
import type { Db } from "@/db/client.server";
import { loadConfigFile } from "@/lib/gateway/runtime.server";
import type { GatewayConfig } from "@/lib/gateway/config";
import { AppError } from "@/lib/http/errors";
import { evaluateGate, recordGateDecision } from "./gate.server";
import type { GateVerdict } from "./gate-schemas";

/**
 * The gate in front of an alias move, shared by the dashboard route and MLflow's alias endpoint.
 * `override` (the dashboard's `{override: true, reason}`) is an admin's: the route checks the role
 * and names the actor, who is kept in the decision row (gate_decisions) and the audit log's entry.
 */

/** The gateway's config as the file says now (function policies follow its prompt references). */
async function currentConfig(): Promise<GatewayConfig | undefined> {
  return loadConfigFile().catch(() => undefined);
}

export class GateRefusedError extends AppError {
  constructor(readonly gate: GateVerdict) {
    super("forbidden", gate.message, { gate });
  }
}

export async function checkAliasMove(
  db: Db,
  input: { name: string; alias: string; version: number; surface: "dashboard" | "mlflow"; override?: { reason: string; actor?: string } },
  config?: GatewayConfig,
): Promise<GateVerdict> {
  const gate = await evaluateGate(db, config ?? (await currentConfig()), input);
  if (gate.verdict === "fail" && !input.override) {
    await recordGateDecision(db, gate, { surface: input.surface });
    throw new GateRefusedError(gate);
  }
  await recordGateDecision(db, gate, { surface: input.surface, override: input.override });
  return gate;
}
