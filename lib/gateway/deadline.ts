import { withTimeout } from "@/lib/stores/errors";

/**
 * Runs `work` with a signal that aborts when `parent` does or after `ms`, and settles within `ms`
 * even if the work never looks at its signal: on time, it rejects with `timeoutError()` (also the
 * signal's reason). Held by a plain timer (withTimeout) and a controller, not `AbortSignal.any`
 * with `AbortSignal.timeout`: Node 20 keeps a timeout signal and undici keeps a fetch's copy of its
 * signal only weakly, and after a garbage collection the abort can fail to reach the request
 * (nodejs/node#55428), the likely cause of a guardrail check that never timed out in a full test run.
 */
export async function withDeadline<T>(
  parent: AbortSignal,
  ms: number,
  timeoutError: () => Error,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const forward = () => controller.abort(parent.reason);
  if (parent.aborted) forward();
  else parent.addEventListener("abort", forward, { once: true });
  try {
    return await withTimeout(work(controller.signal), ms, () => {
      const error = timeoutError();
      controller.abort(error);
      return error;
    });
  } finally {
    parent.removeEventListener("abort", forward);
  }
}
