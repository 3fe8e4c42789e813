import { and, eq } from "drizzle-orm";
import { invitation, member, organization, user } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { conflict } from "@/lib/errors";
import { sendMail } from "@/lib/mailer";
import { requirePermission } from "@/lib/rbac";
import type { TCreateInvitation } from "@/lib/validation/members";
import { getRoleRank, requireRankAtLeast } from "../members/guard";
import { INVITATION_TTL_MS, invitationLink } from "./invitation-link";

export type TCreatedInvitation = { id: string; email: string; role: string; expiresAt: Date; link: string; emailSent: boolean; inviterName: string | null };

/**
 * Invites someone by email with a role no higher than the inviter's. A pending invitation to the
 * same address is replaced. The link is returned for copying; mail goes out only with SMTP set.
 */
export async function createInvitation({ ctx, input }: { ctx: TCtx; input: TCreateInvitation }): Promise<TCreatedInvitation> {
  requirePermission(ctx, "members.manage");
  const created = await (ctx.tx ?? getDb()).transaction(async (tx) => {
    await requireRankAtLeast(tx, ctx, await getRoleRank(tx, input.role));
    const [existing] = await tx
      .select({ id: member.id })
      .from(member)
      .innerJoin(user, eq(user.id, member.userId))
      .where(and(eq(member.organizationId, ctx.organizationId), eq(user.email, input.email)))
      .limit(1);
    if (existing) throw conflict(`${input.email} is already a member of this organization`, "already_member");
    const replaced = await tx
      .update(invitation)
      .set({ status: "canceled" })
      .where(and(eq(invitation.organizationId, ctx.organizationId), eq(invitation.email, input.email), eq(invitation.status, "pending")))
      .returning({ id: invitation.id });
    const row = {
      id: crypto.randomUUID(),
      organizationId: ctx.organizationId,
      email: input.email,
      role: input.role,
      status: "pending",
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      inviterId: ctx.actor.type === "user" ? ctx.actor.id : await firstOwnerId(tx, ctx.organizationId),
    };
    await tx.insert(invitation).values(row);
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "invitation.created",
      targetType: "invitation",
      targetId: row.id,
      targetLabel: row.email,
      before: replaced.length ? { replacedInvitations: replaced.map((r) => r.id) } : null,
      after: { email: row.email, role: row.role, expiresAt: row.expiresAt.toISOString() },
    });
    const [org] = await tx.select({ name: organization.name }).from(organization).where(eq(organization.id, ctx.organizationId));
    const [inviter] = await tx.select({ name: user.name }).from(user).where(eq(user.id, row.inviterId));
    return { ...row, orgName: org?.name ?? "", inviterName: inviter?.name ?? null };
  });
  const link = invitationLink(created.id);
  const emailSent = await sendMail(
    created.email,
    `Invitation to ${created.orgName} on MCP CAN`,
    `${ctx.actor.label} invited you to join "${created.orgName}" on MCP CAN as ${created.role}.\n\nOpen this link to accept (valid for 7 days):\n${link}\n`,
  );
  return { id: created.id, email: created.email, role: created.role, expiresAt: created.expiresAt, link, emailSent, inviterName: created.inviterName };
}

// Invitations made with an API key still need a user as inviter (Better Auth's schema requires one).
async function firstOwnerId(tx: Parameters<typeof writeAudit>[0], organizationId: string): Promise<string> {
  const [owner] = await tx
    .select({ userId: member.userId })
    .from(member)
    .where(and(eq(member.organizationId, organizationId), eq(member.role, "owner")))
    .orderBy(member.createdAt)
    .limit(1);
  if (!owner) throw conflict("The organization has no owner");
  return owner.userId;
}
