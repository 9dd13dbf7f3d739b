"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import type { z } from "zod";
import { parseSearch, patchSearch, type SearchPatch } from "./search-params";

/**
 * The page's state from the URL, and a setter that replaces the URL (no history entry per
 * keystroke unless `push` is asked for, no scroll jump).
 *
 * `shallow` pages (whose client components fetch what the state selects) update the URL with the
 * History API, which Next's router syncs into useSearchParams without asking the server to render
 * the page again; other pages navigate, so their server components see the new search params.
 */
export function useSearchState<S extends z.ZodObject>(
  schema: S,
  { shallow = false }: { shallow?: boolean } = {},
): [z.output<S>, (patch: SearchPatch, options?: { push?: boolean }) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = useMemo(() => parseSearch(schema, params), [schema, params]);
  const update = useCallback(
    (patch: SearchPatch, options?: { push?: boolean }) => {
      const query = patchSearch(params, patch);
      const href = query ? `${pathname}?${query}` : pathname;
      if (shallow) {
        if (options?.push) window.history.pushState(null, "", href);
        else window.history.replaceState(null, "", href);
      } else if (options?.push) router.push(href, { scroll: false });
      else router.replace(href, { scroll: false });
    },
    [params, pathname, router, shallow],
  );
  return [state, update];
}
