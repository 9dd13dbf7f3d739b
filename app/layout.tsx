import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "llmops", template: "%s · llmops" },
  description: "LLM gateway, experiment tracking and evaluation in one app",
};

// Applies the saved or system theme before first paint, so dark mode never flashes light.
const themeScript = `try{var t=localStorage.getItem("theme");var d=t?t==="dark":matchMedia("(prefers-color-scheme: dark)").matches;document.documentElement.classList.toggle("dark",d)}catch(e){}`;

/**
 * The server (scripts/http-guard.mjs) gives each page request a CSP nonce; Next.js puts it on its
 * own scripts, and this inline one needs it too. Reading the request's headers renders every page
 * per request, which a nonce requires (a prerendered page would carry no nonce, so none of its
 * scripts would run).
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen font-sans antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
