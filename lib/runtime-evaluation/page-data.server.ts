import "server-only";
import { getGateway } from "@/lib/gateway/runtime.server";
import type { Db } from "@/db/client.server";
import type { TrackingContext } from "@/lib/tracking/context";
import type { VersionAgreement } from "./calibration";
import { calibration, type CalibrationScope } from "./calibration.server";
import type { RuntimeStatus } from "./schemas";
import { runtimeStatus } from "./status.server";

/** The function page's runtime evaluation panel data; null when the function has none (or the gateway is not configured). */
export async function runtimeStatusForPage(db: Db, functionName: string): Promise<RuntimeStatus | null> {
  try {
    return await runtimeStatus(db, (await getGateway()).config, functionName);
  } catch (error) {
    console.warn(`[llmops] runtime evaluation status of ${functionName}: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/** Judge–human agreement for a page (function, judge function or queue); empty when nothing was both labelled and judged. */
export async function calibrationForPage(ctx: TrackingContext, scope: CalibrationScope): Promise<VersionAgreement[]> {
  try {
    return await calibration(ctx, (await getGateway()).config, scope);
  } catch (error) {
    console.warn(`[llmops] judge calibration: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}
