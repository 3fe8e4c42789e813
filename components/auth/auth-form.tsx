"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { authClient } from "@/lib/client/auth-client";

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

/** Sign-in and sign-up share one form; `mode` picks the fields and the Better Auth call. */
export function AuthForm({ mode }: { mode: "sign-in" | "sign-up" }): React.JSX.Element {
  const t = useTranslations("auth");
  const tc = useTranslations("common");
  const router = useRouter();
  const params = useSearchParams();
  const next = safeNext(params.get("next"));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    setError(null);
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (mode === "sign-up" && password.length < 8) return setError(t("weakPassword"));
    setBusy(true);
    const res =
      mode === "sign-in"
        ? await authClient.signIn.email({ email, password })
        : await authClient.signUp.email({ email, password, name: String(form.get("name") ?? "").trim() || email.split("@")[0]! });
    setBusy(false);
    if (res.error) {
      const status = res.error.status;
      if (status === 429) {
        const retry = Number((res.error as { retryAfter?: number }).retryAfter ?? 60);
        setError(t("tooMany", { seconds: Number.isFinite(retry) ? retry : 60 }));
      } else if (mode === "sign-in" && (status === 401 || status === 403)) setError(t("invalidCredentials"));
      else if (mode === "sign-up" && res.error.code === "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL") setError(t("emailTaken"));
      else setError(res.error.message ?? tc("unknownError"));
      return;
    }
    router.replace(next);
    router.refresh();
  }

  const other = mode === "sign-in" ? "/sign-up" : "/sign-in";
  const otherHref = params.toString() ? `${other}?${params.toString()}` : other;
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">{mode === "sign-in" ? t("signInTitle") : t("signUpTitle")}</CardTitle>
        <CardDescription>{mode === "sign-in" ? t("signInSubtitle") : t("signUpSubtitle")}</CardDescription>
      </CardHeader>
      <form onSubmit={submit} noValidate>
        <CardContent className="grid gap-4">
          {error ? (
            <Alert variant="destructive" role="alert">
              <AlertDescription>{error}</AlertDescription>
            </Alert>
          ) : null}
          {mode === "sign-up" ? (
            <div className="grid gap-2">
              <Label htmlFor="name">{t("name")}</Label>
              <Input id="name" name="name" autoComplete="name" required maxLength={80} />
            </div>
          ) : null}
          <div className="grid gap-2">
            <Label htmlFor="email">{t("email")}</Label>
            <Input id="email" name="email" type="email" autoComplete="email" required defaultValue={params.get("email") ?? ""} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="password">{t("password")}</Label>
            <Input id="password" name="password" type="password" autoComplete={mode === "sign-in" ? "current-password" : "new-password"} required minLength={8} />
            {mode === "sign-up" ? <p className="text-xs text-muted-foreground">{t("passwordHint")}</p> : null}
          </div>
        </CardContent>
        <CardFooter className="mt-6 flex flex-col gap-3">
          <Button type="submit" className="w-full" disabled={busy}>
            {busy ? <Spinner /> : null}
            {mode === "sign-in" ? t("signIn") : t("signUp")}
          </Button>
          <p className="text-sm text-muted-foreground">
            {mode === "sign-in" ? t("noAccount") : t("haveAccount")}{" "}
            <Link href={otherHref} className="font-medium text-primary underline-offset-4 hover:underline">
              {mode === "sign-in" ? t("signUp") : t("signIn")}
            </Link>
          </p>
        </CardFooter>
      </form>
    </Card>
  );
}
