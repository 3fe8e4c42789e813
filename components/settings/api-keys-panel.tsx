"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Plus } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { ConfirmAction } from "@/components/members/confirm-action";
import { useRoles } from "@/components/members/use-roles";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { useOrg } from "@/components/shell/org-context";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ApiError, apiFetch } from "@/lib/client/api";
import { useErrorText } from "@/lib/client/use-error-text";

type TKey = { id: string; name: string; start: string; role: string; createdAt: string; expiresAt: string | null; lastUsedAt: string | null; revokedAt: string | null };

const EXPIRY = ["30", "90", "365", "never"] as const;

/** Management API keys: create (shown once), list, revoke. */
export function ApiKeysPanel(): React.JSX.Element {
  const t = useTranslations("apiKeys");
  const et = useErrorText();
  const tc = useTranslations("common");
  const tr = useTranslations("roles");
  const format = useFormatter();
  const { organization, role: myRole, can } = useOrg();
  const org = organization.slug;
  const qc = useQueryClient();
  const { roles, rankOf } = useRoles(org);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [role, setRole] = useState("developer");
  const [expiry, setExpiry] = useState<(typeof EXPIRY)[number]>("90");
  const [createdKey, setCreatedKey] = useState<string | null>(null);

  const keys = useQuery({ queryKey: ["api-keys", org], queryFn: () => apiFetch<TKey[]>("/api-keys", { org }), enabled: can("apikey.read") });
  const create = useMutation({
    mutationFn: () =>
      apiFetch<TKey & { key: string }>("/api-keys", { method: "POST", org, body: { name, role, expiresInDays: expiry === "never" ? null : Number(expiry) } }),
    onSuccess: (k) => {
      setCreatedKey(k.key);
      void qc.invalidateQueries({ queryKey: ["api-keys", org] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch(`/api-keys/${id}`, { method: "DELETE", org }),
    onSuccess: () => {
      toast.success(t("revokedToast"));
      void qc.invalidateQueries({ queryKey: ["api-keys", org] });
    },
    onError: (e) => void toast.error(et.message(e)),
  });
  const err = create.error instanceof ApiError ? create.error : null;

  if (!can("apikey.read")) return <ForbiddenNotice />;
  const manage = can("apikey.manage");
  const roleName = (k: string): string => (tr.has(k) ? tr(k) : k);
  const when = (s: string | null): string => (s ? format.dateTime(new Date(s), { dateStyle: "medium", timeStyle: "short" }) : "—");
  const state = (k: TKey): { label: string; variant: "success" | "secondary" | "warning" } =>
    k.revokedAt
      ? { label: t("revoked"), variant: "secondary" }
      : k.expiresAt && new Date(k.expiresAt).getTime() < Date.now()
        ? { label: t("expired"), variant: "warning" }
        : { label: t("active"), variant: "success" };

  function onOpenChange(next: boolean): void {
    setOpen(next);
    if (!next) {
      setCreatedKey(null);
      setName("");
      create.reset();
    }
  }
  function submit(e: FormEvent): void {
    e.preventDefault();
    create.mutate();
  }

  const createButton = manage ? (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button data-testid="create-api-key">
          <Plus className="size-4" />
          {t("create")}
        </Button>
      </DialogTrigger>
      <DialogContent closeLabel={tc("close")}>
        {createdKey ? (
          <>
            <DialogHeader>
              <DialogTitle>{t("createdTitle")}</DialogTitle>
              <DialogDescription>{t("createdBody")}</DialogDescription>
            </DialogHeader>
            <div className="flex items-center gap-2 rounded-md border bg-muted/50 p-2">
              <code className="min-w-0 flex-1 font-mono text-xs break-all" data-testid="created-api-key">
                {createdKey}
              </code>
              <CopyButton value={createdKey} label={tc("copy")} copiedLabel={tc("copied")} />
            </div>
            <DialogFooter>
              <Button onClick={() => onOpenChange(false)}>{tc("close")}</Button>
            </DialogFooter>
          </>
        ) : (
          <form className="grid gap-4" onSubmit={submit} noValidate>
            <DialogHeader>
              <DialogTitle>{t("createTitle")}</DialogTitle>
            </DialogHeader>
            {create.error && !err?.errors.length ? (
              <Alert variant="destructive">
                <AlertDescription>{et.message(create.error)}</AlertDescription>
              </Alert>
            ) : null}
            <div className="grid gap-2">
              <Label htmlFor="key-name">{t("name")}</Label>
              <Input id="key-name" value={name} onChange={(e) => setName(e.target.value)} placeholder={t("namePlaceholder")} maxLength={80} aria-invalid={Boolean(et.field(err, "name"))} />
              {et.field(err, "name") ? <p className="text-xs text-destructive">{et.field(err, "name")}</p> : null}
            </div>
            <div className="grid gap-2">
              <Label htmlFor="key-role">{t("role")}</Label>
              <Select value={role} onValueChange={setRole}>
                <SelectTrigger id="key-role" className="w-full">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {roles
                    .filter((r) => r.rank <= rankOf(myRole))
                    .map((r) => (
                      <SelectItem key={r.key} value={r.key}>
                        {roleName(r.key)}
                      </SelectItem>
                    ))}
                </SelectContent>
              </Select>
              <p className="text-xs text-muted-foreground">{t("roleHint")}</p>
            </div>
            <div className="grid gap-2">
              <Label htmlFor="key-expiry">{t("expiresIn")}</Label>
              <Select value={expiry} onValueChange={(v) => setExpiry(v as (typeof EXPIRY)[number])}>
                <SelectTrigger id="key-expiry" className="w-full">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {EXPIRY.map((e) => (
                    <SelectItem key={e} value={e}>
                      {e === "never" ? t("never") : t("days", { n: Number(e) })}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
            <DialogFooter>
              <Button type="submit" disabled={create.isPending || !name.trim()}>
                {tc("create")}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  ) : null;

  return (
    <div className="grid gap-4">
      <div className="flex items-start justify-between gap-4">
        <p className="text-sm text-muted-foreground">
          {t("description")}{" "}
          <a href="/api/v1/openapi.json" target="_blank" rel="noreferrer" className="text-primary hover:underline">
            {t("openapi")}
          </a>
        </p>
        {keys.data && keys.data.length > 0 ? createButton : null}
      </div>
      {keys.data && keys.data.length === 0 ? (
        <EmptyState icon={<KeyRound />} title={t("emptyTitle")} description={t("emptyBody")} action={createButton} />
      ) : (
        <Card className="py-0">
          <Table data-testid="api-keys-table">
            <TableHeader>
              <TableRow>
                <TableHead>{t("name")}</TableHead>
                <TableHead>{t("role")}</TableHead>
                <TableHead>{t("status")}</TableHead>
                <TableHead>{t("created")}</TableHead>
                <TableHead>{t("expires")}</TableHead>
                <TableHead>{t("lastUsed")}</TableHead>
                <TableHead className="text-right">{tc("actions")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {(keys.data ?? []).map((k) => {
                const s = state(k);
                return (
                  <TableRow key={k.id} data-testid={`api-key-row-${k.name}`}>
                    <TableCell>
                      <div className="font-medium">{k.name}</div>
                      <div className="font-mono text-xs text-muted-foreground">{k.start}…</div>
                    </TableCell>
                    <TableCell>
                      <Badge variant="secondary">{roleName(k.role)}</Badge>
                    </TableCell>
                    <TableCell>
                      <Badge variant={s.variant}>{s.label}</Badge>
                    </TableCell>
                    <TableCell className="text-muted-foreground">{when(k.createdAt)}</TableCell>
                    <TableCell className="text-muted-foreground">{k.expiresAt ? when(k.expiresAt) : t("never")}</TableCell>
                    <TableCell className="text-muted-foreground">{k.lastUsedAt ? when(k.lastUsedAt) : tc("never")}</TableCell>
                    <TableCell className="text-right">
                      {manage && !k.revokedAt ? (
                        <ConfirmAction
                          trigger={
                            <Button variant="ghost" size="sm" className="text-destructive" data-testid={`revoke-${k.name}`}>
                              {t("revoke")}
                            </Button>
                          }
                          title={t("revokeTitle", { name: k.name })}
                          body={t("revokeBody")}
                          confirmLabel={t("revoke")}
                          cancelLabel={tc("cancel")}
                          onConfirm={() => revoke.mutate(k.id)}
                        />
                      ) : null}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Card>
      )}
    </div>
  );
}
