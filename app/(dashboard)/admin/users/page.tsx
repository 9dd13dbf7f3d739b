import type { Metadata } from "next";
import { pageContext } from "@/lib/auth/page.server";
import { UsersView } from "@/components/accounts/users-view";
import { accountSectionFor } from "@/components/layout/sections";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  await pageContext("admin");
  const section = accountSectionFor("/admin/users");
  return (
    <>
      <Breadcrumb items={[{ label: "Admin" }, { label: section.label }]} />
      <PageHeader title={section.label} description={section.description} />
      <UsersView />
    </>
  );
}
