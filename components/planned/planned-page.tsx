import { BookOpen, KeyRound, Users } from "lucide-react";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

/**
 * A console section whose feature has not shipped yet. It says so plainly and offers what can be
 * done today; it never shows sample data.
 */
export async function PlannedPage({ org, pageKey }: { org: string; pageKey: "dashboard" | "instances" | "templates" | "codePackages" | "accessLogs" }): Promise<React.JSX.Element> {
  const t = await getTranslations("planned");
  const nav = await getTranslations("nav");
  const page = nav(pageKey);
  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader title={page} />
      <Card className="mt-6" data-testid="planned-page">
        <CardHeader>
          <CardTitle>{t("title", { page })}</CardTitle>
          <CardDescription>{t("body")}</CardDescription>
        </CardHeader>
        <CardContent>
          <p className="mb-2 text-sm font-medium">{t("meanwhile")}</p>
          <ul className="grid gap-2 text-sm">
            <li>
              <Link className="inline-flex items-center gap-2 text-primary hover:underline" href={`/${org}/members`}>
                <Users className="size-4" /> {t("inviteMembers")}
              </Link>
            </li>
            <li>
              <Link className="inline-flex items-center gap-2 text-primary hover:underline" href={`/${org}/settings/api-keys`}>
                <KeyRound className="size-4" /> {t("createApiKey")}
              </Link>
            </li>
            <li>
              <a className="inline-flex items-center gap-2 text-primary hover:underline" href="/api/v1/openapi.json" target="_blank" rel="noreferrer">
                <BookOpen className="size-4" /> {t("readApi")}
              </a>
            </li>
          </ul>
        </CardContent>
      </Card>
    </div>
  );
}
