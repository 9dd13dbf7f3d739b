import { QueryClient, isServer } from "@tanstack/react-query";

/** One factory for every QueryClient: a new one per server request, a single one in the browser. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 60_000, retry: isServer ? false : 1, refetchOnWindowFocus: false },
    },
  });
}
