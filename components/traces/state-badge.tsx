import { Badge } from "@/components/ui/badge";

/** A trace's or span's status as a coloured badge. */
export function StateBadge({ state }: { state: string }) {
  const tone = state === "OK" ? "success" : state === "ERROR" ? "danger" : "neutral";
  return <Badge tone={tone}>{state}</Badge>;
}
