import type { Metadata } from "next";
import { CompareView } from "@/components/evaluations/compare-view";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Compare evaluation runs" };
export const dynamic = "force-dynamic";

export default async function ComparePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).arms;
  const arms = (Array.isArray(raw) ? raw : raw ? [raw] : []).slice(0, 10);
  return (
    <>
      <Breadcrumb items={[{ label: "Evaluations", href: "/evaluations" }, { label: "Compare runs" }]} />
      <PageHeader
        title="Compare evaluation runs"
        description="Paired per-item differences against the first run (paired t-test for scores, McNemar for pass/fail), regressions first, outputs side by side with a word-level diff."
      />
      {arms.length ? <CompareView arms={arms} /> : <p className="text-sm">Pick runs to compare on the Evaluations page.</p>}
    </>
  );
}
