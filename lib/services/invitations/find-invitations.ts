import { and, desc, eq, inArray } from "drizzle-orm";
import { invitation, user } from "@/db/schema";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";
import { invitationLink } from "./invitation-link";

export type TInvitationRow = {
  id: string;
  email: string;
  role: string;
  status: string;
  expiresAt: Date;
  createdAt: Date;
  inviterName: string | null;
  link: string;
};

/** Pending invitations of the context's organization (newest first), each with its link. */
export async function findInvitations({ ctx, statuses = ["pending"] }: { ctx: TCtx; statuses?: string[] }): Promise<TInvitationRow[]> {
  requirePermission(ctx, "members.read");
  const rows = await (ctx.tx ?? getDb())
    .select({
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      status: invitation.status,
      expiresAt: invitation.expiresAt,
      createdAt: invitation.createdAt,
      inviterName: user.name,
    })
    .from(invitation)
    .leftJoin(user, eq(user.id, invitation.inviterId))
    .where(and(eq(invitation.organizationId, ctx.organizationId), inArray(invitation.status, statuses)))
    .orderBy(desc(invitation.createdAt))
    .limit(200);
  // Only people who may manage members see links they could forward.
  const showLink = ctx.permissions.has("members.manage");
  return rows.map((r) => ({ ...r, link: showLink ? invitationLink(r.id) : "" }));
}
