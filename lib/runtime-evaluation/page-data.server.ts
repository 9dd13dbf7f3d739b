import "server-only";
import { getGateway } from "@/lib/gateway/runtime.server";
import { getStores } from "@/lib/stores/index.server";
import type { RuntimeStatus } from "./schemas";
import { runtimeStatus } from "./status.server";

/** The function page's runtime evaluation panel data; null when the function has none (or the gateway is not configured). */
export async function runtimeStatusForPage(functionName: string): Promise<RuntimeStatus | null> {
  try {
    return await runtimeStatus((await getStores()).postgres.db, (await getGateway()).config, functionName);
  } catch (error) {
    console.warn(`[llmops] runtime evaluation status of ${functionName}: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}
