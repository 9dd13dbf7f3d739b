import type { Metadata } from "next";
import { pageContext } from "@/lib/auth/page.server";
import { KeysView } from "@/components/accounts/keys-view";
import { accountSectionFor } from "@/components/layout/sections";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "API keys" };
export const dynamic = "force-dynamic";

export default async function KeysPage() {
  await pageContext("signed-in");
  const section = accountSectionFor("/settings/keys");
  return (
    <>
      <Breadcrumb items={[{ label: "Account" }, { label: section.label }]} />
      <PageHeader title={section.label} description={section.description} />
      <KeysView />
    </>
  );
}
