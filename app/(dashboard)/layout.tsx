import type { ReactNode } from "react";
import { Sidebar } from "@/components/layout/sidebar";

// TODO(issue 14, h3 — until lib/auth's currentCaller() lands on main): read the caller on the
// server, render <SignInRedirect /> (components/auth/sign-in-redirect.tsx) instead of the page when
// auth is on and nobody is signed in, and seed queryKeys.me() so gated buttons render on first paint.
export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2">
        Skip to content
      </a>
      <Sidebar />
      <main id="main" className="min-w-0 flex-1 px-6 py-8 md:px-10">
        {children}
      </main>
    </div>
  );
}
