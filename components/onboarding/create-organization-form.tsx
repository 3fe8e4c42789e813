"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { ApiError, apiFetch } from "@/lib/client/api";
import { useErrorText } from "@/lib/client/use-error-text";

function suggestSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 40)
    .replace(/^-+|-+$/g, "");
}

/** Creates an organization and opens it. */
export function CreateOrganizationForm(): React.JSX.Element {
  const t = useTranslations("onboarding");
  const et = useErrorText();
  const tc = useTranslations("common");
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugTouched, setSlugTouched] = useState(false);
  const effectiveSlug = slugTouched ? slug : suggestSlug(name);

  const create = useMutation({
    mutationFn: () => apiFetch<{ slug: string }>("/organizations", { method: "POST", body: { name, ...(effectiveSlug ? { slug: effectiveSlug } : {}) } }),
    onSuccess: (org) => {
      router.push(`/${org.slug}/dashboard`);
      router.refresh();
    },
  });
  const err = create.error instanceof ApiError ? create.error : null;

  function submit(e: FormEvent): void {
    e.preventDefault();
    create.mutate();
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">{t("title")}</CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      <form onSubmit={submit} noValidate>
        <CardContent className="grid gap-4">
          {create.error && !err?.errors.length ? (
            <Alert variant="destructive" role="alert">
              <AlertDescription>{et.message(create.error)}</AlertDescription>
            </Alert>
          ) : null}
          <div className="grid gap-2">
            <Label htmlFor="org-name">{t("name")}</Label>
            <Input id="org-name" value={name} onChange={(e) => setName(e.target.value)} placeholder={t("namePlaceholder")} required maxLength={80} aria-invalid={Boolean(et.field(err, "name"))} />
            {et.field(err, "name") ? <p className="text-xs text-destructive">{et.field(err, "name")}</p> : null}
          </div>
          <div className="grid gap-2">
            <Label htmlFor="org-slug">{t("slug")}</Label>
            <Input
              id="org-slug"
              value={effectiveSlug}
              onChange={(e) => {
                setSlugTouched(true);
                setSlug(e.target.value.toLowerCase());
              }}
              maxLength={48}
              className="font-mono"
              aria-invalid={Boolean(et.field(err, "slug"))}
            />
            {et.field(err, "slug") ? (
              <p className="text-xs text-destructive">{et.field(err, "slug")}</p>
            ) : (
              <p className="text-xs text-muted-foreground">{t("slugHint", { slug: effectiveSlug || "…" })}</p>
            )}
          </div>
        </CardContent>
        <CardFooter className="mt-6 flex flex-col items-stretch gap-3">
          <Button type="submit" disabled={create.isPending || !name.trim()}>
            {create.isPending ? <Spinner /> : null}
            {t("submit")}
          </Button>
          <p className="text-center text-xs text-muted-foreground">{t("invitedHint")}</p>
        </CardFooter>
      </form>
    </Card>
  );
}
