import type { Metadata } from "next";
import { SectionEmpty } from "@/components/layout/section-page";
import { sectionFor } from "@/components/layout/sections";

export const metadata: Metadata = { title: sectionFor("/experiments").label };

export default function Page() {
  return (
    <SectionEmpty href="/experiments" title="No experiments yet">
      <p>Experiments and runs appear here once a client logs them through the tracking API.</p>
    </SectionEmpty>
  );
}
