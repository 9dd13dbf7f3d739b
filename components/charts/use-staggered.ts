"use client";

import { useEffect, useState } from "react";

/**
 * How many of `count` heavy children to render now: one at first, then one more each animation
 * frame, so the first chart draws (and the browser paints) before the next one's SVG is built,
 * instead of every chart of a page blocking the main thread in one long task.
 */
export function useStaggered(count: number): number {
  const [shown, setShown] = useState(1);
  useEffect(() => {
    if (shown >= count) return;
    const frame = requestAnimationFrame(() => setShown((n) => n + 1));
    return () => cancelAnimationFrame(frame);
  }, [shown, count]);
  return Math.min(shown, count);
}
