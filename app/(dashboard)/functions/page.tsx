import type { Metadata } from "next";
import { SectionEmpty } from "@/components/layout/section-page";
import { sectionFor } from "@/components/layout/sections";

export const metadata: Metadata = { title: sectionFor("/functions").label };

export default function Page() {
  return (
    <SectionEmpty href="/functions" title="No functions yet">
      <p>Functions and variants configured for the gateway, with their traffic and metrics, appear here.</p>
    </SectionEmpty>
  );
}
