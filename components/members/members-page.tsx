"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Users, X } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useOrg } from "@/components/shell/org-context";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { apiFetch } from "@/lib/client/api";
import { ConfirmAction } from "./confirm-action";
import { InviteDialog } from "./invite-dialog";
import { useRoles } from "./use-roles";
import { useErrorText } from "@/lib/client/use-error-text";

type TMember = { id: string; userId: string; name: string; email: string; role: string; createdAt: string };
type TInvitation = { id: string; email: string; role: string; expiresAt: string; inviterName: string | null; link: string };

/** Members, their roles, pending invitations and what each role may do. */
export function MembersPage(): React.JSX.Element {
  const t = useTranslations("members");
  const et = useErrorText();
  const tc = useTranslations("common");
  const tr = useTranslations("roles");
  const format = useFormatter();
  const router = useRouter();
  const { organization, user, role: myRole, can } = useOrg();
  const org = organization.slug;
  const qc = useQueryClient();
  const { roles, rankOf } = useRoles(org);
  const manage = can("members.manage");
  const myRank = rankOf(myRole);

  const members = useQuery({ queryKey: ["members", org], queryFn: () => apiFetch<TMember[]>("/members", { org }) });
  const invitations = useQuery({ queryKey: ["invitations", org], queryFn: () => apiFetch<TInvitation[]>("/invitations", { org }) });

  const onError = (e: Error): void => void toast.error(et.message(e));
  const changeRole = useMutation({
    mutationFn: (v: { id: string; role: string }) => apiFetch(`/members/${v.id}`, { method: "PATCH", org, body: { role: v.role } }),
    onSuccess: (_d, v) => {
      toast.success(t("roleChanged", { role: tr.has(v.role) ? tr(v.role) : v.role }));
      void qc.invalidateQueries({ queryKey: ["members", org] });
      router.refresh();
    },
    onError,
  });
  const remove = useMutation({
    mutationFn: (m: TMember) => apiFetch(`/members/${m.id}`, { method: "DELETE", org }),
    onSuccess: (_d, m) => {
      if (m.userId === user.id) {
        router.push("/");
        router.refresh();
        return;
      }
      toast.success(t("removed"));
      void qc.invalidateQueries({ queryKey: ["members", org] });
    },
    onError,
  });
  const cancel = useMutation({
    mutationFn: (id: string) => apiFetch(`/invitations/${id}`, { method: "DELETE", org }),
    onSuccess: () => {
      toast.success(t("inviteCanceled"));
      void qc.invalidateQueries({ queryKey: ["invitations", org] });
    },
    onError,
  });

  const roleName = (k: string): string => (tr.has(k) ? tr(k) : k);
  const date = (s: string): string => format.dateTime(new Date(s), { dateStyle: "medium" });

  return (
    <div className="mx-auto grid max-w-5xl gap-6">
      <PageHeader title={t("title")} description={t("description")} actions={manage ? <InviteDialog org={org} roles={roles} maxRank={myRank} /> : null} />

      {members.error ? (
        <Alert variant="destructive">
          <AlertDescription>{et.message(members.error)}</AlertDescription>
        </Alert>
      ) : null}

      <Card className="py-0">
        <Table data-testid="members-table">
          <TableHeader>
            <TableRow>
              <TableHead>{t("name")}</TableHead>
              <TableHead>{t("email")}</TableHead>
              <TableHead className="w-44">{t("role")}</TableHead>
              <TableHead>{t("joined")}</TableHead>
              <TableHead className="w-40 text-right">{tc("actions")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {members.isPending
              ? Array.from({ length: 3 }, (_, i) => (
                  <TableRow key={i}>
                    <TableCell colSpan={5}>
                      <Skeleton className="h-5 w-full" />
                    </TableCell>
                  </TableRow>
                ))
              : (members.data ?? []).map((m) => {
                  const self = m.userId === user.id;
                  const lastOwner = m.role === "owner" && (members.data ?? []).filter((x) => x.role === "owner").length === 1;
                  const editable = manage && rankOf(m.role) <= myRank;
                  return (
                    <TableRow key={m.id} data-testid={`member-row-${m.email}`}>
                      <TableCell className="font-medium">
                        {m.name} {self ? <Badge variant="outline">{tc("you")}</Badge> : null}
                      </TableCell>
                      <TableCell className="text-muted-foreground">{m.email}</TableCell>
                      <TableCell>
                        {editable ? (
                          <Select value={m.role} onValueChange={(role) => changeRole.mutate({ id: m.id, role })}>
                            <SelectTrigger size="sm" className="w-36" data-testid={`role-select-${m.email}`} aria-label={t("role")}>
                              <SelectValue />
                            </SelectTrigger>
                            <SelectContent>
                              {roles
                                .filter((r) => r.rank <= myRank)
                                .map((r) => (
                                  <SelectItem key={r.key} value={r.key} data-testid={`role-option-${r.key}`}>
                                    {roleName(r.key)}
                                  </SelectItem>
                                ))}
                            </SelectContent>
                          </Select>
                        ) : (
                          <Badge variant="secondary">{roleName(m.role)}</Badge>
                        )}
                      </TableCell>
                      <TableCell className="text-muted-foreground">{date(m.createdAt)}</TableCell>
                      <TableCell className="text-right">
                        {(self || editable) && !lastOwner ? (
                          <ConfirmAction
                            trigger={
                              <Button variant="ghost" size="sm" className="text-destructive" data-testid={`remove-${m.email}`}>
                                {self ? t("leave") : t("remove")}
                              </Button>
                            }
                            title={self ? t("leaveTitle") : t("removeTitle", { name: m.name })}
                            body={self ? t("leaveBody") : t("removeBody")}
                            confirmLabel={self ? t("leave") : t("remove")}
                            cancelLabel={tc("cancel")}
                            onConfirm={() => remove.mutate(m)}
                          />
                        ) : null}
                      </TableCell>
                    </TableRow>
                  );
                })}
          </TableBody>
        </Table>
      </Card>
      {members.data?.length === 1 && invitations.data?.length === 0 && manage ? (
        <EmptyState icon={<Users />} title={t("emptyTitle")} description={t("emptyBody")} action={<InviteDialog org={org} roles={roles} maxRank={myRank} />} />
      ) : null}
      <p className="text-xs text-muted-foreground">{t("lastOwnerHint")}</p>

      <Card>
        <CardHeader>
          <CardTitle className="text-base">{t("pendingTitle")}</CardTitle>
        </CardHeader>
        <CardContent>
          {invitations.data && invitations.data.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t("noPending")}</p>
          ) : (
            <Table data-testid="invitations-table">
              <TableHeader>
                <TableRow>
                  <TableHead>{t("email")}</TableHead>
                  <TableHead>{t("role")}</TableHead>
                  <TableHead>{t("invitedBy")}</TableHead>
                  <TableHead>{t("expires")}</TableHead>
                  <TableHead className="text-right">{tc("actions")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {(invitations.data ?? []).map((i) => (
                  <TableRow key={i.id} data-testid={`invitation-row-${i.email}`}>
                    <TableCell>{i.email}</TableCell>
                    <TableCell>
                      <Badge variant="secondary">{roleName(i.role)}</Badge>
                    </TableCell>
                    <TableCell className="text-muted-foreground">{i.inviterName ?? "—"}</TableCell>
                    <TableCell className="text-muted-foreground">{date(i.expiresAt)}</TableCell>
                    <TableCell className="text-right">
                      {i.link ? <CopyButton value={i.link} label={t("copyLink")} copiedLabel={tc("copied")} /> : null}
                      {manage ? (
                        <Button variant="ghost" size="icon-sm" aria-label={t("cancelInvite")} onClick={() => cancel.mutate(i.id)}>
                          <X className="size-4" />
                        </Button>
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="text-base">{t("permissionsTitle")}</CardTitle>
          <CardDescription>{roles.map((r) => roleName(r.key)).join(" · ")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3 sm:grid-cols-2">
          {roles.map((r) => (
            <div key={r.key} className="rounded-md border p-3">
              <div className="font-medium">{roleName(r.key)}</div>
              {tr.has(`${r.key}Hint`) ? <p className="text-xs text-muted-foreground">{tr(`${r.key}Hint`)}</p> : null}
              <div className="mt-2 flex flex-wrap gap-1">
                {r.permissions.map((p) => (
                  <code key={p} className="rounded bg-muted px-1.5 py-0.5 font-mono text-[11px]">
                    {p}
                  </code>
                ))}
              </div>
            </div>
          ))}
        </CardContent>
      </Card>
    </div>
  );
}
