import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentMe } from "@/lib/accounts/me.server";
import { safeNextPath } from "@/lib/accounts/next-path";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

/** Outside the dashboard's layout: no navigation, and no redirect back to itself. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNextPath(firstOf((await searchParams).next));
  // Already signed in, or auth is off (nobody signs in): straight on to where they were going.
  const me = await currentMe();
  if (!me.auth_enabled || me.caller.kind !== "anonymous") redirect(next);
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-6 py-16">
      <p className="mb-6 text-lg font-semibold tracking-tight">llmops</p>
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
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
