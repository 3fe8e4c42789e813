import { Boxes } from "lucide-react";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { LocaleSwitcher } from "@/components/shell/locale-switcher";
import { ThemeToggle } from "@/components/theme-toggle";
import { getServerSession } from "@/lib/auth/session";

export default async function AuthLayout({ children }: { children: ReactNode }): Promise<React.JSX.Element> {
  const t = await getTranslations("common");
  const session = await getServerSession();
  return (
    <div className="flex min-h-screen flex-col bg-muted/40">
      <header className="flex items-center justify-between px-6 py-4">
        <div className="flex items-center gap-2 font-semibold">
          <Boxes className="size-5 text-primary" aria-hidden />
          {t("appName")}
        </div>
        <div className="flex items-center gap-1">
          <LocaleSwitcher signedIn={Boolean(session)} />
          <ThemeToggle label={t("toggleTheme")} />
        </div>
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pt-[8vh] pb-16">
        <div className="w-full max-w-md">{children}</div>
      </main>
    </div>
  );
}
