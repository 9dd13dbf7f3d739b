"use client";

import { useEffect, useState } from "react";

/** Local text state that is committed (to the URL) only after typing pauses. */
export function useDebouncedCommit(value: string, commit: (next: string) => void, delayMs = 300): [string, (next: string) => void] {
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
  return [
    text,
    (next: string) => {
      setText(next);
      setPending(true);
    },
  ];
}
