import { eq } from "drizzle-orm";
import { invitation, organization, user } from "@/db/schema";
import { getDb, type TDbOrTx } from "@/lib/db";
import { notFound } from "@/lib/errors";

export type TInvitationView = {
  id: string;
  organizationName: string;
  organizationSlug: string;
  email: string;
  role: string;
  status: "pending" | "accepted" | "rejected" | "canceled" | "expired";
  expiresAt: Date;
  inviterName: string | null;
};

/** What the invite page shows to whoever holds the link (the id is the secret). */
export async function getInvitation({ invitationId, db = getDb() }: { invitationId: string; db?: TDbOrTx }): Promise<TInvitationView> {
  if (!/^[0-9a-f-]{36}$/i.test(invitationId)) throw notFound("Invitation");
  const [row] = await db
    .select({
      id: invitation.id,
      organizationName: organization.name,
      organizationSlug: organization.slug,
      email: invitation.email,
      role: invitation.role,
      status: invitation.status,
      expiresAt: invitation.expiresAt,
      inviterName: user.name,
    })
    .from(invitation)
    .innerJoin(organization, eq(organization.id, invitation.organizationId))
    .leftJoin(user, eq(user.id, invitation.inviterId))
    .where(eq(invitation.id, invitationId))
    .limit(1);
  if (!row) throw notFound("Invitation");
  const status = row.status === "pending" && row.expiresAt.getTime() < Date.now() ? "expired" : (row.status as TInvitationView["status"]);
  return { ...row, status };
}
