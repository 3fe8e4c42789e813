import { and, eq } from "drizzle-orm";
import { invitation, member, organization } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TUserCtx } from "@/lib/context";
import { getDb, type TDbOrTx } from "@/lib/db";
import { conflict, forbidden, notFound } from "@/lib/errors";

/**
 * Joins the signed-in user to the invitation's organization with the invited role. The invitation
 * must be pending, unexpired and addressed to the user's email.
 */
export async function acceptInvitation({ ctx, invitationId, db = getDb() }: { ctx: TUserCtx; invitationId: string; db?: TDbOrTx }): Promise<{ organizationId: string; slug: string; role: string }> {
  if (!/^[0-9a-f-]{36}$/i.test(invitationId)) throw notFound("Invitation");
  return db.transaction(async (tx) => {
    const [inv] = await tx.select().from(invitation).where(eq(invitation.id, invitationId)).for("update");
    if (!inv) throw notFound("Invitation");
    if (inv.status !== "pending") throw conflict(`This invitation is ${inv.status}`, "invitation_not_pending");
    if (inv.expiresAt.getTime() < Date.now()) throw conflict("This invitation has expired; ask for a new one", "invitation_expired");
    if (inv.email.toLowerCase() !== ctx.email.toLowerCase()) {
      throw forbidden(`This invitation was sent to ${inv.email}; sign in with that address to accept it`, "invitation_wrong_email");
    }
    const [org] = await tx.select({ slug: organization.slug }).from(organization).where(eq(organization.id, inv.organizationId));
    if (!org) throw notFound("Invitation");
    const [already] = await tx
      .select({ id: member.id, role: member.role })
      .from(member)
      .where(and(eq(member.organizationId, inv.organizationId), eq(member.userId, ctx.actor.id)));
    const memberId = already?.id ?? crypto.randomUUID();
    if (!already) await tx.insert(member).values({ id: memberId, organizationId: inv.organizationId, userId: ctx.actor.id, role: inv.role });
    await tx.update(invitation).set({ status: "accepted" }).where(eq(invitation.id, inv.id));
    await writeAudit(tx, ctx, {
      organizationId: inv.organizationId,
      action: "invitation.accepted",
      targetType: "member",
      targetId: memberId,
      targetLabel: ctx.email,
      before: { invitationStatus: "pending" },
      after: { invitationStatus: "accepted", role: already?.role ?? inv.role },
    });
    return { organizationId: inv.organizationId, slug: org.slug, role: already?.role ?? inv.role };
  });
}
