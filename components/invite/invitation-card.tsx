"use client";
import { useMutation } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { apiFetch } from "@/lib/client/api";
import { authClient } from "@/lib/client/auth-client";
import { useErrorText } from "@/lib/client/use-error-text";

type TInvitation = {
  id: string;
  organizationName: string;
  email: string;
  role: string;
  status: string;
  expiresAt: string;
  inviterName: string | null;
};

/** What an invitation link shows: who invites whom to what, and the one next step. */
export function InvitationCard({ invitation, currentEmail }: { invitation: TInvitation; currentEmail: string | null }): React.JSX.Element {
  const t = useTranslations("invite");
  const et = useErrorText();
  const tr = useTranslations("roles");
  const tc = useTranslations("common");
  const format = useFormatter();
  const router = useRouter();
  const role = tr.has(invitation.role) ? tr(invitation.role) : invitation.role;
  const here = `/invite/${invitation.id}`;
  const qs = new URLSearchParams({ next: here, email: invitation.email }).toString();

  const accept = useMutation({
    mutationFn: () => apiFetch<{ slug: string }>(`/invitations/${invitation.id}/accept`, { method: "POST" }),
    onSuccess: (r) => {
      router.push(`/${r.slug}/dashboard`);
      router.refresh();
    },
  });

  const wrongAccount = currentEmail !== null && currentEmail.toLowerCase() !== invitation.email.toLowerCase();
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">{t("title")}</CardTitle>
        <CardDescription>
          {invitation.inviterName
            ? t("body", { inviter: invitation.inviterName, org: invitation.organizationName, role })
            : t("bodyNoInviter", { org: invitation.organizationName, role })}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-2 text-sm text-muted-foreground">
        <p>{t("sentTo", { email: invitation.email })}</p>
        <p>{t("expires", { date: format.dateTime(new Date(invitation.expiresAt), { dateStyle: "medium", timeStyle: "short" }) })}</p>
        {invitation.status !== "pending" ? (
          <Alert variant="warning" role="alert">
            <AlertDescription>{t(`status_${invitation.status}` as "status_expired")}</AlertDescription>
          </Alert>
        ) : null}
        {wrongAccount && invitation.status === "pending" ? (
          <Alert variant="warning" role="alert">
            <AlertDescription>{t("wrongAccount", { current: currentEmail, email: invitation.email })}</AlertDescription>
          </Alert>
        ) : null}
        {accept.error ? (
          <Alert variant="destructive" role="alert">
            <AlertDescription>{et.message(accept.error)}</AlertDescription>
          </Alert>
        ) : null}
      </CardContent>
      {invitation.status === "pending" ? (
        <CardFooter className="mt-4 flex flex-col items-stretch gap-2">
          {currentEmail === null ? (
            <>
              <Button asChild>
                <Link href={`/sign-up?${qs}`}>{t("signUpToAccept")}</Link>
              </Button>
              <Button asChild variant="outline">
                <Link href={`/sign-in?${qs}`}>{t("signInToAccept")}</Link>
              </Button>
            </>
          ) : wrongAccount ? (
            <Button
              variant="outline"
              onClick={async () => {
                await authClient.signOut();
                router.refresh();
              }}
            >
              {tc("signOut")}
            </Button>
          ) : (
            <Button onClick={() => accept.mutate()} disabled={accept.isPending}>
              {accept.isPending ? <Spinner /> : null}
              {t("accept")}
            </Button>
          )}
        </CardFooter>
      ) : null}
    </Card>
  );
}
