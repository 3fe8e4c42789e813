"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { UserPlus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { ApiError, apiFetch } from "@/lib/client/api";
import type { TRole } from "./use-roles";
import { useErrorText } from "@/lib/client/use-error-text";

type TCreated = { id: string; email: string; link: string; emailSent?: boolean };

/** Invite by email; on success the link is shown for copying. */
export function InviteDialog({ org, roles, maxRank }: { org: string; roles: TRole[]; maxRank: number }): React.JSX.Element {
  const t = useTranslations("members");
  const et = useErrorText();
  const tc = useTranslations("common");
  const tr = useTranslations("roles");
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("developer");
  const [created, setCreated] = useState<TCreated | null>(null);

  const invite = useMutation({
    mutationFn: () => apiFetch<TCreated>("/invitations", { method: "POST", org, body: { email, role } }),
    onSuccess: (inv) => {
      setCreated(inv);
      void qc.invalidateQueries({ queryKey: ["invitations", org] });
    },
  });
  const err = invite.error instanceof ApiError ? invite.error : null;

  function reset(next: boolean): void {
    setOpen(next);
    if (!next) {
      setCreated(null);
      setEmail("");
      invite.reset();
    }
  }

  function submit(e: FormEvent): void {
    e.preventDefault();
    invite.mutate();
  }

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>
        <Button data-testid="invite-button">
          <UserPlus className="size-4" />
          {t("invite")}
        </Button>
      </DialogTrigger>
      <DialogContent closeLabel={tc("close")}>
        {created ? (
          <>
            <DialogHeader>
              <DialogTitle>{t("linkTitle")}</DialogTitle>
              <DialogDescription>
                {t("linkDescription", { email: created.email })} {created.emailSent ? t("emailSent") : null}
              </DialogDescription>
            </DialogHeader>
            <div className="flex items-center gap-2 rounded-md border bg-muted/50 p-2">
              <code className="min-w-0 flex-1 truncate font-mono text-xs" data-testid="invite-link">
                {created.link}
              </code>
              <CopyButton value={created.link} label={t("copyLink")} copiedLabel={tc("copied")} />
            </div>
            <DialogFooter>
              <Button onClick={() => reset(false)}>{tc("close")}</Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={submit} noValidate className="grid gap-4">
            <DialogHeader>
              <DialogTitle>{t("inviteTitle")}</DialogTitle>
              <DialogDescription>{t("inviteDescription")}</DialogDescription>
            </DialogHeader>
            {invite.error && !err?.errors.length ? (
              <Alert variant="destructive" role="alert">
                <AlertDescription>{et.message(invite.error)}</AlertDescription>
              </Alert>
            ) : null}
            <div className="grid gap-2">
              <Label htmlFor="invite-email">{t("email")}</Label>
              <Input id="invite-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required aria-invalid={Boolean(et.field(err, "email"))} />
              {et.field(err, "email") ? <p className="text-xs text-destructive">{et.field(err, "email")}</p> : null}
            </div>
            <div className="grid gap-2">
              <Label htmlFor="invite-role">{t("role")}</Label>
              <Select value={role} onValueChange={setRole}>
                <SelectTrigger id="invite-role" className="w-full" data-testid="invite-role">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {roles
                    .filter((r) => r.rank <= maxRank)
                    .map((r) => (
                      <SelectItem key={r.key} value={r.key} data-testid={`invite-role-${r.key}`}>
                        {tr.has(r.key) ? tr(r.key) : r.key}
                      </SelectItem>
                    ))}
                </SelectContent>
              </Select>
              {tr.has(`${role}Hint`) ? <p className="text-xs text-muted-foreground">{tr(`${role}Hint`)}</p> : null}
            </div>
            <DialogFooter>
              <Button type="submit" disabled={invite.isPending || !email.trim()}>
                {invite.isPending ? <Spinner /> : null}
                {t("sendInvite")}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
