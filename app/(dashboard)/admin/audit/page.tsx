import type { Metadata } from "next";
import { pageContext } from "@/lib/auth/page.server";
import { AuditView } from "@/components/accounts/audit-view";
import { accountSectionFor } from "@/components/layout/sections";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

export default async function AuditPage() {
  await pageContext("admin");
  const section = accountSectionFor("/admin/audit");
  return (
    <>
      <Breadcrumb items={[{ label: "Admin" }, { label: section.label }]} />
      <PageHeader title={section.label} description={section.description} />
      <AuditView />
    </>
  );
}
