/** The budget int tests' shared piece. */

/** Counters of fixed minute windows: start a minute-limited sequence well inside a minute (8 s or more left). */
export async function awayFromMinuteEdge(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 8_000) await new Promise((r) => setTimeout(r, left + 200));
}
