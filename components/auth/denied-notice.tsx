"use client";

import { useSearchParams } from "next/navigation";

/** Said on the overview after a page sent the caller here for lack of access (`?denied=1`, lib/auth/page.server.ts). */
export function DeniedNotice() {
  if (useSearchParams().get("denied") !== "1") return null;
  return (
    <p role="status" className="mb-6 rounded-md border border-warning/60 bg-warning/15 p-3 text-sm">
      Your role may not open that page, so you are on the overview instead. Ask an admin if you need it.
    </p>
  );
}
