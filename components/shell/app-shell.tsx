"use client";
import {
  Activity,
  Boxes,
  Check,
  ChevronsUpDown,
  FileArchive,
  LayoutDashboard,
  LayoutTemplate,
  LogOut,
  Plus,
  ScrollText,
  Server,
  Settings,
  ShieldCheck,
  Users,
} from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { ThemeToggle } from "@/components/theme-toggle";
import { authClient } from "@/lib/client/auth-client";
import { LAST_ORG_COOKIE } from "@/lib/client/last-org";
import { cn } from "@/lib/utils";
import { LocaleSwitcher } from "./locale-switcher";
import { OrgProvider, type TOrgContext } from "./org-context";

const NAV = [
  { key: "dashboard", href: "dashboard", icon: LayoutDashboard },
  { key: "instances", href: "instances", icon: Server },
  { key: "templates", href: "templates", icon: LayoutTemplate },
  { key: "codePackages", href: "code-packages", icon: FileArchive },
  { key: "accessLogs", href: "access-logs", icon: Activity },
  { key: "members", href: "members", icon: Users },
  { key: "audit", href: "audit", icon: ScrollText, permission: "audit.read" },
  { key: "settings", href: "settings", icon: Settings },
] as const;

/** The console frame: organization switcher, navigation, language, theme and account. */
export function AppShell({ ctx, children }: { ctx: TOrgContext; children: ReactNode }): React.JSX.Element {
  const t = useTranslations("nav");
  const tc = useTranslations("common");
  const tr = useTranslations("roles");
  const pathname = usePathname();
  const router = useRouter();
  const base = `/${ctx.organization.slug}`;

  useEffect(() => {
    document.cookie = `${LAST_ORG_COOKIE}=${ctx.organization.slug}; path=/; max-age=31536000; samesite=lax`;
  }, [ctx.organization.slug]);

  const items = NAV.filter((n) => !("permission" in n) || ctx.permissions.includes(n.permission));
  return (
    <OrgProvider value={ctx}>
      <div className="flex min-h-screen">
        <aside className="sticky top-0 hidden h-screen w-60 shrink-0 flex-col border-r bg-sidebar text-sidebar-foreground md:flex">
          <div className="flex items-center gap-2 px-4 py-4 font-semibold">
            <Boxes className="size-5 text-primary" aria-hidden />
            {tc("appName")}
          </div>
          <div className="px-3">
            <DropdownMenu>
              <DropdownMenuTrigger asChild>
                <Button variant="outline" className="w-full justify-between" data-testid="org-switcher">
                  <span className="truncate">{ctx.organization.name}</span>
                  <ChevronsUpDown className="size-4 opacity-60" />
                </Button>
              </DropdownMenuTrigger>
              <DropdownMenuContent className="w-56" align="start">
                <DropdownMenuLabel>{t("organizations")}</DropdownMenuLabel>
                {ctx.organizations.map((o) => (
                  <DropdownMenuItem key={o.id} onSelect={() => router.push(`/${o.slug}/dashboard`)} data-testid={`org-option-${o.slug}`}>
                    <span className="flex-1 truncate">{o.name}</span>
                    <span className="text-xs text-muted-foreground">{tr.has(o.role) ? tr(o.role) : o.role}</span>
                    {o.id === ctx.organization.id ? <Check className="size-4" /> : null}
                  </DropdownMenuItem>
                ))}
                <DropdownMenuSeparator />
                <DropdownMenuItem onSelect={() => router.push("/onboarding")}>
                  <Plus className="size-4" />
                  {t("createOrg")}
                </DropdownMenuItem>
              </DropdownMenuContent>
            </DropdownMenu>
          </div>
          <nav aria-label={t("mainMenu")} className="mt-4 flex flex-1 flex-col gap-0.5 px-3">
            {items.map((n) => {
              const href = `${base}/${n.href}`;
              const active = pathname === href || pathname.startsWith(`${href}/`);
              return (
                <Link
                  key={n.key}
                  href={href}
                  aria-current={active ? "page" : undefined}
                  className={cn(
                    "flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm text-sidebar-foreground/80 hover:bg-sidebar-accent hover:text-sidebar-accent-foreground",
                    active && "bg-sidebar-accent font-medium text-sidebar-accent-foreground",
                  )}
                >
                  <n.icon className="size-4" aria-hidden />
                  {t(n.key)}
                </Link>
              );
            })}
          </nav>
          <div className="border-t p-3">
            <DropdownMenu>
              <DropdownMenuTrigger asChild>
                <Button variant="ghost" className="h-auto w-full justify-start px-2 py-1.5 text-left" data-testid="user-menu">
                  <div className="min-w-0">
                    <div className="truncate text-sm font-medium">{ctx.user.name}</div>
                    <div className="truncate text-xs text-muted-foreground">{ctx.user.email}</div>
                  </div>
                </Button>
              </DropdownMenuTrigger>
              <DropdownMenuContent className="w-56" align="start" side="top">
                <DropdownMenuLabel className="flex items-center gap-2 font-normal">
                  <ShieldCheck className="size-4" />
                  {tr.has(ctx.role) ? tr(ctx.role) : ctx.role}
                </DropdownMenuLabel>
                <DropdownMenuSeparator />
                <DropdownMenuItem
                  onSelect={async () => {
                    await authClient.signOut();
                    router.push("/sign-in");
                    router.refresh();
                  }}
                >
                  <LogOut className="size-4" />
                  {tc("signOut")}
                </DropdownMenuItem>
              </DropdownMenuContent>
            </DropdownMenu>
          </div>
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex h-12 items-center justify-between gap-2 border-b px-4 md:px-6">
            <nav className="flex gap-1 overflow-x-auto md:hidden" aria-label={t("mainMenu")}>
              {items.map((n) => (
                <Link key={n.key} href={`${base}/${n.href}`} className="rounded px-2 py-1 text-xs whitespace-nowrap hover:bg-accent">
                  {t(n.key)}
                </Link>
              ))}
            </nav>
            <div className="hidden text-sm text-muted-foreground md:block">{ctx.organization.name}</div>
            <div className="flex items-center gap-1">
              <LocaleSwitcher signedIn />
              <ThemeToggle label={tc("toggleTheme")} />
            </div>
          </header>
          <main className="min-w-0 flex-1 px-4 py-6 md:px-8">{children}</main>
        </div>
      </div>
    </OrgProvider>
  );
}
