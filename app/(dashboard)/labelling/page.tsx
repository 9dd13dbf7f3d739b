import type { Metadata } from "next";
import { SectionEmpty } from "@/components/layout/section-page";
import { sectionFor } from "@/components/layout/sections";

export const metadata: Metadata = { title: sectionFor("/labelling").label };

export default function Page() {
  return (
    <SectionEmpty href="/labelling" title="No labelling queues yet">
      <p>Queues of responses for reviewers appear here; labels flow back as feedback.</p>
    </SectionEmpty>
  );
}
