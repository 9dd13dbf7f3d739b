"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { z } from "zod";
import { makeQueryClient } from "@/lib/query/client";

// Zod compiles fast parsers with `new Function` when eval is allowed, probing for it first; under
// the app's CSP (no 'unsafe-eval') that probe is reported as a violation. Jitless parsing is what
// the browser gets anyway, without the probe.
z.config({ jitless: true });

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
