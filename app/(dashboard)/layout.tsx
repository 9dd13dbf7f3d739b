import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { Suspense, type ReactNode } from "react";
import { SignInRedirect } from "@/components/auth/sign-in-redirect";
import { Sidebar } from "@/components/layout/sidebar";
import { ErrorState } from "@/components/ui/error-state";
import { currentMe } from "@/lib/accounts/me.server";
import type { Me } from "@/lib/accounts/schemas";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";

/**
 * The dashboard's shell. With auth on, a signed-out visitor gets the sign-in redirect instead of the
 * page (which is then never rendered); everyone else gets the page with their caller already known
 * to the browser, so what they may do shows right on first paint.
 */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  let me: Me;
  try {
    me = await currentMe();
  } catch (error) {
    // Sessions live in Postgres: when it cannot be asked, say so rather than fail the whole page.
    return (
      <main id="main" className="mx-auto max-w-xl px-6 py-24">
        <ErrorState title="Could not check who you are" error={error} />
      </main>
    );
  }
  if (me.auth_enabled && me.caller.kind === "anonymous") {
    return (
      <Suspense>
        <SignInRedirect />
      </Suspense>
    );
  }
  const queryClient = makeQueryClient();
  queryClient.setQueryData(queryKeys.me(), me);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <div className="flex min-h-screen flex-col md:flex-row">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2">
          Skip to content
        </a>
        <Sidebar />
        <main id="main" className="min-w-0 flex-1 px-6 py-8 md:px-10">
          {children}
        </main>
      </div>
    </HydrationBoundary>
  );
}
