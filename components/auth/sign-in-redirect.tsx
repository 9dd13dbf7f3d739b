"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { signInHref } from "@/lib/accounts/next-path";

/**
 * What the dashboard renders instead of a page for a signed-out visitor (auth on): it sends them to
 * sign in and back here afterwards. A layout cannot read the path on the server, so the `?next=` is
 * added here; the page itself was never rendered.
 */
export function SignInRedirect() {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const href = signInHref(`${pathname}${search ? `?${search}` : ""}`);
  const router = useRouter();
  useEffect(() => router.replace(href), [router, href]);
  return (
    <main id="main" className="mx-auto max-w-sm px-6 py-24 text-center">
      <p className="text-sm text-muted-foreground">
        Sign in to continue.{" "}
        <Link href={href} className="underline">
          Sign in
        </Link>
      </p>
    </main>
  );
}
