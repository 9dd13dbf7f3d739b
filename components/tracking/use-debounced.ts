"use client";

import { useCallback, useEffect, useState } from "react";

/**
 * Local text state that is committed (to the URL) only after typing pauses, or at once by
 * `flush` (on blur: a click on a link blurs the box first, so a late commit cannot cancel the
 * navigation the click starts).
 */
export function useDebouncedCommit(
  value: string,
  commit: (next: string) => void,
  delayMs = 300,
): [text: string, setText: (next: string) => void, flush: () => void] {
  const [text, setText] = useState(value);
  const [pending, setPending] = useState(false);
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => {
      setPending(false);
      commit(text);
    }, delayMs);
    return () => clearTimeout(timer);
  }, [text, pending, commit, delayMs]);
  const flush = useCallback(() => {
    if (!pending) return;
    setPending(false);
    commit(text);
  }, [pending, commit, text]);
  return [
    text,
    (next: string) => {
      setText(next);
      setPending(true);
    },
    flush,
  ];
}
