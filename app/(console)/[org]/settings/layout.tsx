import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { SettingsNav } from "@/components/settings/settings-nav";
import { PageHeader } from "@/components/ui/page-header";

export default async function SettingsLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }): Promise<React.JSX.Element> {
  const t = await getTranslations("settings");
  const { org } = await params;
  return (
    <div className="mx-auto grid max-w-5xl gap-4">
      <PageHeader title={t("title")} description={t("description")} />
      <SettingsNav org={org} />
      {children}
    </div>
  );
}
