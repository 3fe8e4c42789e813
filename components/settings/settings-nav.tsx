"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

/** Tabs between the settings sub-pages. */
export function SettingsNav({ org }: { org: string }): React.JSX.Element {
  const t = useTranslations("settings");
  const pathname = usePathname();
  const tabs = [
    { href: `/${org}/settings`, label: t("general") },
    { href: `/${org}/settings/api-keys`, label: t("apiKeys") },
  ];
  return (
    <nav className="flex gap-1 border-b">
      {tabs.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={pathname === tab.href ? "page" : undefined}
          className={cn(
            "-mb-px border-b-2 border-transparent px-3 py-2 text-sm text-muted-foreground hover:text-foreground",
            pathname === tab.href && "border-primary font-medium text-foreground",
          )}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
