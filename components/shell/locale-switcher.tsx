"use client";
import { Languages } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuRadioGroup, DropdownMenuRadioItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { apiFetch } from "@/lib/client/api";
import { LOCALE_COOKIE } from "@/i18n/config";

const NAMES: Record<string, string> = { "zh-CN": "简体中文", en: "English" };

/** Switches the UI language: on the account when signed in, in a cookie otherwise. */
export function LocaleSwitcher({ signedIn }: { signedIn: boolean }): React.JSX.Element {
  const t = useTranslations("common");
  const locale = useLocale();
  const router = useRouter();
  const [pending, start] = useTransition();

  function choose(next: string): void {
    start(async () => {
      document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
      if (signedIn) await apiFetch("/me", { method: "PATCH", body: { locale: next } }).catch(() => undefined);
      router.refresh();
    });
  }

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={t("language")} disabled={pending} data-testid="locale-switcher">
          <Languages className="size-4" />
          <span className="text-xs">{NAMES[locale]}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuRadioGroup value={locale} onValueChange={choose}>
          {Object.entries(NAMES).map(([k, name]) => (
            <DropdownMenuRadioItem key={k} value={k}>
              {name}
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
