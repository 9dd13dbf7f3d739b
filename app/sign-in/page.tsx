import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentMe } from "@/lib/accounts/me.server";
import { oidcSummary } from "@/lib/auth/oidc.server";
import { safeNextPath } from "@/lib/accounts/next-path";
import { ssoErrorMessage } from "@/lib/accounts/sso-errors";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

/** Outside the dashboard's layout: no navigation, and no redirect back to itself. */
export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[]; sso_error?: string | string[] }>;
}) {
  const params = await searchParams;
  const next = safeNextPath(firstOf(params.next));
  const ssoError = ssoErrorMessage(firstOf(params.sso_error));
  // Already signed in, or auth is off (nobody signs in): straight on to where they were going.
  const me = await currentMe();
  if (!me.auth_enabled || me.caller.kind !== "anonymous") redirect(next);
  const sso = oidcSummary();
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-6 py-16">
      <p className="mb-6 text-lg font-semibold tracking-tight">llmops</p>
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      {ssoError ? (
        <p role="alert" className="mt-4 rounded-md border border-danger/40 px-3 py-2 text-sm text-danger">
          {ssoError}
        </p>
      ) : null}
      {sso.enabled ? (
        <>
          {/* A plain link: the provider's pages are a full navigation, and the start is a GET. */}
          <a
            href={`/api/auth/oidc/start?next=${encodeURIComponent(next)}`}
            className="mt-6 inline-flex items-center justify-center rounded-md bg-primary px-3 py-1.5 text-sm font-medium text-primary-foreground hover:opacity-90"
          >
            Sign in with {sso.name ?? "SSO"}
          </a>
          <p className="mt-6 text-center text-xs text-muted-foreground">or with a password</p>
        </>
      ) : null}
      <SignInForm next={next} />
      <p className="mt-8 text-xs text-muted-foreground">
        First start? When llmops starts on an empty data folder it creates an admin account: the first command (
        <code className="font-mono">npm ci &amp;&amp; npm start</code>) prints its email and password in the console, next to the URL. Set{" "}
        <code className="font-mono">LLMOPS_ADMIN_EMAIL</code> and <code className="font-mono">LLMOPS_ADMIN_PASSWORD</code> to choose them
        instead.
      </p>
    </main>
  );
}

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
