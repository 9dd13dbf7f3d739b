import type { Metadata } from "next";
import { SectionEmpty } from "@/components/layout/section-page";
import { sectionFor } from "@/components/layout/sections";

export const metadata: Metadata = { title: sectionFor("/lineage").label };

export default function Page() {
  return (
    <SectionEmpty href="/lineage" title="Nothing to trace yet">
      <p>Pick a dataset, run, prompt or model version, variant or function to see how it connects to the rest.</p>
    </SectionEmpty>
  );
}
