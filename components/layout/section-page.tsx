import type { ReactNode } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { sectionFor, type Section } from "./sections";

/** A section's header and its empty state, for areas that have nothing recorded yet. */
export function SectionEmpty({ href, title, children }: { href: Section["href"]; title: string; children: ReactNode }) {
  const section = sectionFor(href);
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <EmptyState title={title}>{children}</EmptyState>
    </>
  );
}
