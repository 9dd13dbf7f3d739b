import { redirect } from "next/navigation";
import { segment } from "@/lib/analytics/params";

/** A variant's numbers live on its function's page (lineage links variants here). */
export default async function Page({ params }: { params: Promise<{ name: string; variant: string }> }) {
  const { name } = await params;
  redirect(`/functions/${encodeURIComponent(segment(name))}`);
}
