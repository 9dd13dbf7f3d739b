import { describe, expect, it } from "vitest";
import { withDeadline } from "./deadline";

const late = () => new Error("no answer within 50 ms");

describe("withDeadline", () => {
  it("ends at the deadline even when the work ignores its signal, and aborts that signal with the timeout error", async () => {
    let seen: AbortSignal | undefined;
    const started = performance.now();
    const never = (signal: AbortSignal) => {
      seen = signal;
      return new Promise<string>(() => undefined);
    };
    await expect(withDeadline(new AbortController().signal, 50, late, never)).rejects.toThrow("no answer within 50 ms");
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(seen?.aborted).toBe(true);
    expect((seen?.reason as Error).message).toBe("no answer within 50 ms");
  });

  it("returns the work's answer before the deadline and leaves its signal alone", async () => {
    let seen: AbortSignal | undefined;
    const answer = await withDeadline(new AbortController().signal, 1_000, late, async (signal) => {
      seen = signal;
      return "ok";
    });
    expect(answer).toBe("ok");
    await new Promise((r) => setTimeout(r, 20));
    expect(seen?.aborted).toBe(false);
  });

  it("forwards the parent's abort, before or during the work", async () => {
    const before = new AbortController();
    before.abort(new Error("client gone"));
    await withDeadline(before.signal, 1_000, late, async (signal) => {
      expect(signal.aborted).toBe(true);
      expect((signal.reason as Error).message).toBe("client gone");
    });
    const during = new AbortController();
    const work = withDeadline(during.signal, 1_000, late, (signal) => {
      return new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason as Error)));
    });
    during.abort(new Error("client gone"));
    await expect(work).rejects.toThrow("client gone");
  });
});
