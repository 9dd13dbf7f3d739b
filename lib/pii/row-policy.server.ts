import "server-only";
import type { RowPolicy } from "@/lib/data-policy/recorder.server";
import type { GatewayConfig } from "@/lib/gateway/config";
import type { RecorderTable, RecorderTables } from "@/lib/gateway/recorder.server";
import type { CacheRow, InferenceRow, ModelCallRow } from "@/lib/inference/tables";
import { PiiPolicy } from "./policy";

/** The recorder's row policy for PII at rest; undefined when every function stores everything. */
export function piiRowPolicy(config: GatewayConfig): RowPolicy | undefined {
  const policy = new PiiPolicy(config);
  if (!policy.active) return undefined;
  return {
    apply<T extends RecorderTable>(table: T, rows: RecorderTables[T][]): RecorderTables[T][] {
      switch (table) {
        case "inferences":
          return (rows as InferenceRow[]).map((r) => policy.inference(r)) as RecorderTables[T][];
        case "model_calls":
          return (rows as ModelCallRow[]).map((r) => policy.modelCall(r)) as RecorderTables[T][];
        case "inference_cache":
          // A cached answer is served back verbatim: only functions that store everything keep one.
          return (rows as CacheRow[]).filter((r) => policy.modeOf(r.function_name) === "full") as RecorderTables[T][];
      }
    },
  };
}
