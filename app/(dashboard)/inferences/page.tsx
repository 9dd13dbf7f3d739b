import type { Metadata } from "next";
import { SectionEmpty } from "@/components/layout/section-page";
import { sectionFor } from "@/components/layout/sections";

export const metadata: Metadata = { title: sectionFor("/inferences").label };

export default function Page() {
  return (
    <SectionEmpty href="/inferences" title="No inferences recorded yet">
      <p>Each call through the gateway is recorded and listed here with its timings, cost and feedback.</p>
    </SectionEmpty>
  );
}
