import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Button } from "@/components/ui/button";

export default async function NotFound(): Promise<React.JSX.Element> {
  const t = await getTranslations("notFound");
  return (
    <div className="flex min-h-[60vh] flex-col items-center justify-center gap-3 text-center" data-testid="not-found">
      <p className="text-5xl font-semibold text-muted-foreground">404</p>
      <h1 className="text-xl font-semibold">{t("title")}</h1>
      <p className="max-w-md text-sm text-muted-foreground">{t("body")}</p>
      <Button asChild variant="outline" className="mt-2">
        <Link href="/">{t("home")}</Link>
      </Button>
    </div>
  );
}
