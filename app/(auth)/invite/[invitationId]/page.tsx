import { getTranslations } from "next-intl/server";
import { InvitationCard } from "@/components/invite/invitation-card";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { getServerSession } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getInvitation, type TInvitationView } from "@/lib/services/invitations/get-invitation";

export default async function InvitePage({ params }: { params: Promise<{ invitationId: string }> }): Promise<React.JSX.Element> {
  const { invitationId } = await params;
  const t = await getTranslations("invite");
  let invitation: TInvitationView;
  try {
    invitation = await getInvitation({ invitationId });
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") {
      return (
        <Alert variant="destructive" role="alert">
          <AlertDescription>{t("notFound")}</AlertDescription>
        </Alert>
      );
    }
    throw err;
  }
  const session = await getServerSession();
  return (
    <InvitationCard
      invitation={{ ...invitation, expiresAt: invitation.expiresAt.toISOString() }}
      currentEmail={session?.user.email ?? null}
    />
  );
}
