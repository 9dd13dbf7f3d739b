import type { Metadata } from "next";
import { AuditView } from "@/components/accounts/audit-view";
import { accountSectionFor } from "@/components/layout/sections";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

export default function AuditPage() {
  const section = accountSectionFor("/admin/audit");
  return (
    <>
      <Breadcrumb items={[{ label: "Admin" }, { label: section.label }]} />
      <PageHeader title={section.label} description={section.description} />
      <AuditView />
    </>
  );
}
