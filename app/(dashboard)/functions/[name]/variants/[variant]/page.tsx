import { redirect } from "next/navigation";
import { segmentValue } from "@/lib/http/params";

/** A variant's numbers live on its function's page (lineage links variants here). */
export default async function Page({ params }: { params: Promise<{ name: string; variant: string }> }) {
  const { name } = await params;
  redirect(`/functions/${encodeURIComponent(segmentValue(name))}`);
}
