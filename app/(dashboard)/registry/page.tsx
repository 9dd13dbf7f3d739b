import type { Metadata } from "next";
import { SectionEmpty } from "@/components/layout/section-page";
import { sectionFor } from "@/components/layout/sections";

export const metadata: Metadata = { title: sectionFor("/registry").label };

export default function Page() {
  return (
    <SectionEmpty href="/registry" title="No prompts or models registered yet">
      <p>Registered prompts and models, their versions and aliases appear here.</p>
    </SectionEmpty>
  );
}
