"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { AccountMenu } from "@/components/auth/account-menu";
import { allows, useCaller } from "@/lib/accounts/use-caller";
import type { Me } from "@/lib/accounts/schemas";
import { ACCOUNT_SECTIONS, SECTIONS, type AccountSection } from "./sections";
import { CommandPalette } from "./command-palette";
import { ThemeToggle } from "./theme-toggle";

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

function mayUse(me: Me | undefined, section: AccountSection): boolean {
  if (!me?.auth_enabled) return false;
  return section.needs === "admin" ? allows(me, "admin") : me.user !== null;
}

function NavLink({ href, label, pathname }: { href: string; label: string; pathname: string }) {
  const active = isActive(pathname, href);
  return (
    <li>
      <Link
        href={href}
        aria-current={active ? "page" : undefined}
        className={cn(
          "block rounded-md px-3 py-2 text-sm",
          active ? "bg-primary text-primary-foreground" : "text-foreground hover:bg-muted",
        )}
      >
        {label}
      </Link>
    </li>
  );
}

export function Sidebar() {
  const pathname = usePathname();
  const me = useCaller().data;
  const account = ACCOUNT_SECTIONS.filter((section) => mayUse(me, section));
  return (
    <aside className="flex w-full shrink-0 flex-col border-b border-border bg-muted/40 md:min-h-screen md:w-60 md:border-r md:border-b-0">
      <div className="flex items-center justify-between px-4 py-4">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          llmops
        </Link>
        <ThemeToggle />
      </div>
      <AccountMenu />
      <CommandPalette />
      <nav aria-label="Main" className="px-2 pb-4">
        <ul className="flex flex-wrap gap-1 md:flex-col">
          {SECTIONS.map((section) => (
            <NavLink key={section.href} href={section.href} label={section.label} pathname={pathname} />
          ))}
        </ul>
        {account.length > 0 ? (
          <>
            <p className="mt-4 px-3 pb-1 text-xs font-medium text-muted-foreground">Account</p>
            <ul aria-label="Account" className="flex flex-wrap gap-1 md:flex-col">
              {account.map((section) => (
                <NavLink key={section.href} href={section.href} label={section.label} pathname={pathname} />
              ))}
            </ul>
          </>
        ) : null}
      </nav>
    </aside>
  );
}
