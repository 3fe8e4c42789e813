"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { LocaleSwitcher } from "@/components/shell/locale-switcher";
import { useOrg } from "@/components/shell/org-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ApiError, apiFetch } from "@/lib/client/api";
import { useErrorText } from "@/lib/client/use-error-text";

/** Organization name (org.update) and the viewer's language. */
export function GeneralSettings(): React.JSX.Element {
  const t = useTranslations("settings");
  const et = useErrorText();
  const tc = useTranslations("common");
  const { organization, can } = useOrg();
  const router = useRouter();
  const [name, setName] = useState(organization.name);
  const save = useMutation({
    mutationFn: () => apiFetch("/organization", { method: "PATCH", org: organization.slug, body: { name } }),
    onSuccess: () => {
      toast.success(t("saved"));
      router.refresh();
    },
    onError: (e) => void toast.error(et.message(e)),
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const editable = can("org.update");

  function submit(e: FormEvent): void {
    e.preventDefault();
    save.mutate();
  }

  return (
    <div className="grid gap-6">
      <Card>
        <form onSubmit={submit}>
          <CardContent className="grid max-w-lg gap-4">
            <div className="grid gap-2">
              <Label htmlFor="org-name">{t("orgName")}</Label>
              <Input id="org-name" value={name} onChange={(e) => setName(e.target.value)} disabled={!editable} maxLength={80} aria-invalid={Boolean(et.field(err, "name"))} />
              {et.field(err, "name") ? <p className="text-xs text-destructive">{et.field(err, "name")}</p> : null}
            </div>
            <div className="grid gap-2">
              <Label htmlFor="org-slug">{t("slug")}</Label>
              <Input id="org-slug" value={organization.slug} disabled className="font-mono" />
              <p className="text-xs text-muted-foreground">{t("slugFixed")}</p>
            </div>
            {editable ? (
              <Button type="submit" className="justify-self-start" disabled={save.isPending || name.trim() === organization.name || !name.trim()}>
                {save.isPending ? tc("saving") : tc("save")}
              </Button>
            ) : null}
          </CardContent>
        </form>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle className="text-base">{t("languageTitle")}</CardTitle>
          <CardDescription>{t("languageDescription")}</CardDescription>
        </CardHeader>
        <CardContent>
          <LocaleSwitcher signedIn />
        </CardContent>
      </Card>
    </div>
  );
}
