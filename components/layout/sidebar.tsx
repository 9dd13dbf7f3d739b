"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { SECTIONS } from "./sections";
import { ThemeToggle } from "./theme-toggle";

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function Sidebar() {
  const pathname = usePathname();
  return (
    <aside className="flex w-full shrink-0 flex-col border-b border-border bg-muted/40 md:min-h-screen md:w-60 md:border-r md:border-b-0">
      <div className="flex items-center justify-between px-4 py-4">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          llmops
        </Link>
        <ThemeToggle />
      </div>
      <nav aria-label="Main" className="px-2 pb-4">
        <ul className="flex flex-wrap gap-1 md:flex-col">
          {SECTIONS.map((section) => {
            const active = isActive(pathname, section.href);
            return (
              <li key={section.href}>
                <Link
                  href={section.href}
                  aria-current={active ? "page" : undefined}
                  className={cn(
                    "block rounded-md px-3 py-2 text-sm",
                    active ? "bg-primary text-primary-foreground" : "text-foreground hover:bg-muted",
                  )}
                >
                  {section.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
    </aside>
  );
}
