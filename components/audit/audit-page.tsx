"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { ChevronDown, ChevronRight, ScrollText } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Fragment, useState } from "react";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { useOrg } from "@/components/shell/org-context";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { diffSnapshots } from "@/lib/audit-diff";
import { apiFetch } from "@/lib/client/api";
import { useErrorText } from "@/lib/client/use-error-text";

type TEntry = {
  id: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  targetLabel: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  createdAt: string;
};

const ACTIONS = [
  "organization.created",
  "organization.updated",
  "member.role_changed",
  "member.removed",
  "member.left",
  "invitation.created",
  "invitation.canceled",
  "invitation.accepted",
  "api_key.created",
  "api_key.revoked",
];

function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The audit log with filters kept in the URL and an expandable before/after diff per entry. */
export function AuditPage(): React.JSX.Element {
  const t = useTranslations("audit");
  const et = useErrorText();
  const tc = useTranslations("common");
  const format = useFormatter();
  const { organization, can } = useOrg();
  const org = organization.slug;
  const router = useRouter();
  const pathname = usePathname();
  const sp = useSearchParams();
  const action = sp.get("action") ?? "";
  const from = sp.get("from") ?? "";
  const to = sp.get("to") ?? "";
  const [open, setOpen] = useState<string | null>(null);
  const allowed = can("audit.read");

  const q = useInfiniteQuery({
    queryKey: ["audit", org, action, from, to],
    enabled: allowed,
    initialPageParam: "",
    queryFn: ({ pageParam }) => {
      const qs = new URLSearchParams({ limit: "50" });
      if (action) qs.set("action", action);
      const f = toIso(from);
      const tt = toIso(to);
      if (f) qs.set("from", f);
      if (tt) qs.set("to", tt);
      if (pageParam) qs.set("cursor", pageParam);
      return apiFetch<{ items: TEntry[]; nextCursor: string | null }>(`/audit-log?${qs}`, { org });
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  function setFilter(key: string, value: string): void {
    const next = new URLSearchParams(sp.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`${pathname}?${next}`);
  }

  if (!allowed) return <ForbiddenNotice />;
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="mx-auto grid max-w-6xl min-w-0 gap-4">
      <PageHeader title={t("title")} description={t("description")} />
      <div className="flex flex-wrap items-end gap-3">
        <div className="grid gap-1">
          <Label className="text-xs">{t("filterAction")}</Label>
          <Select value={action || "__all"} onValueChange={(v) => setFilter("action", v === "__all" ? "" : v)}>
            <SelectTrigger size="sm" className="w-56" data-testid="audit-action-filter">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="__all">{tc("all")}</SelectItem>
              {ACTIONS.map((a) => (
                <SelectItem key={a} value={a}>
                  {a}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="grid gap-1">
          <Label className="text-xs" htmlFor="audit-from">
            {t("filterFrom")}
          </Label>
          <Input id="audit-from" type="datetime-local" className="h-8 w-52" value={from} onChange={(e) => setFilter("from", e.target.value)} />
        </div>
        <div className="grid gap-1">
          <Label className="text-xs" htmlFor="audit-to">
            {t("filterTo")}
          </Label>
          <Input id="audit-to" type="datetime-local" className="h-8 w-52" value={to} onChange={(e) => setFilter("to", e.target.value)} />
        </div>
        {action || from || to ? (
          <Button variant="ghost" size="sm" onClick={() => router.replace(pathname)}>
            {tc("reset")}
          </Button>
        ) : null}
        <Button variant="outline" size="sm" className="ml-auto" onClick={() => void q.refetch()}>
          {tc("refresh")}
        </Button>
      </div>

      {q.error ? (
        <Alert variant="destructive">
          <AlertDescription>{et.message(q.error)}</AlertDescription>
        </Alert>
      ) : null}

      {!q.isPending && rows.length === 0 ? (
        <EmptyState icon={<ScrollText />} title={t("empty")} description={t("emptyHint")} />
      ) : (
        <Card className="min-w-0 overflow-x-auto py-0">
          <Table data-testid="audit-table">
            <TableHeader>
              <TableRow>
                <TableHead className="w-8" />
                <TableHead>{t("time")}</TableHead>
                <TableHead>{t("actor")}</TableHead>
                <TableHead>{t("action")}</TableHead>
                <TableHead>{t("target")}</TableHead>
                <TableHead>{t("origin")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {q.isPending
                ? Array.from({ length: 5 }, (_, i) => (
                    <TableRow key={i}>
                      <TableCell colSpan={6}>
                        <Skeleton className="h-5 w-full" />
                      </TableCell>
                    </TableRow>
                  ))
                : rows.map((e) => {
                    const expanded = open === e.id;
                    const diff = diffSnapshots(e.before, e.after);
                    return (
                      <Fragment key={e.id}>
                        <TableRow className="cursor-pointer" onClick={() => setOpen(expanded ? null : e.id)} data-testid="audit-row" aria-expanded={expanded}>
                          <TableCell>{expanded ? <ChevronDown className="size-4" /> : <ChevronRight className="size-4" />}</TableCell>
                          <TableCell className="whitespace-nowrap text-muted-foreground">
                            {format.dateTime(new Date(e.createdAt), { dateStyle: "short", timeStyle: "medium" })}
                          </TableCell>
                          <TableCell>
                            <span className="mr-1 text-xs text-muted-foreground">{t(`actorType_${e.actorType}` as "actorType_user")}</span>
                            {e.actorLabel}
                          </TableCell>
                          <TableCell>
                            <Badge variant="outline" className="font-mono">
                              {e.action}
                            </Badge>
                          </TableCell>
                          <TableCell>
                            <span className="text-xs text-muted-foreground">{t.has(`targetType_${e.targetType}`) ? t(`targetType_${e.targetType}` as "targetType_member") : e.targetType}</span> {e.targetLabel}
                          </TableCell>
                          <TableCell className="font-mono text-xs text-muted-foreground">{e.ip ?? "—"}</TableCell>
                        </TableRow>
                        {expanded ? (
                          <TableRow>
                            <TableCell />
                            <TableCell colSpan={5} className="bg-muted/30 whitespace-normal">
                              {diff.length === 0 ? (
                                <p className="text-sm text-muted-foreground">{t("noChanges")}</p>
                              ) : (
                                <table className="w-full text-xs" data-testid="audit-diff">
                                  <thead>
                                    <tr className="text-left text-muted-foreground">
                                      <th className="py-1 pr-4 font-medium">{t("field")}</th>
                                      <th className="py-1 pr-4 font-medium">{t("before")}</th>
                                      <th className="py-1 font-medium">{t("after")}</th>
                                    </tr>
                                  </thead>
                                  <tbody>
                                    {diff.map((d) => (
                                      <tr key={d.field}>
                                        <td className="py-1 pr-4 font-mono">{d.field}</td>
                                        <td className="py-1 pr-4 font-mono text-destructive">{JSON.stringify(d.before)}</td>
                                        <td className="py-1 font-mono text-success">{JSON.stringify(d.after)}</td>
                                      </tr>
                                    ))}
                                  </tbody>
                                </table>
                              )}
                              <p className="mt-2 text-[11px] break-all whitespace-normal text-muted-foreground">
                                {t("request")}: <span className="font-mono">{e.requestId}</span> · {t("userAgent")}: {e.userAgent ?? "—"}
                              </p>
                            </TableCell>
                          </TableRow>
                        ) : null}
                      </Fragment>
                    );
                  })}
            </TableBody>
          </Table>
        </Card>
      )}
      {q.hasNextPage ? (
        <Button variant="outline" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage} className="justify-self-center">
          {tc("loadMore")}
        </Button>
      ) : null}
    </div>
  );
}
