import { and, eq } from "drizzle-orm";
import { member } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { conflict } from "@/lib/errors";
import { requirePermission } from "@/lib/rbac";
import { getMember } from "./get-member";
import { countOwners, getRoleRank, lockOrganization, requireRankAtLeast } from "./guard";

/** Removes a member (or lets a member leave); the last owner can do neither. */
export async function removeMember({ ctx, memberId }: { ctx: TCtx; memberId: string }): Promise<void> {
  await (ctx.tx ?? getDb()).transaction(async (tx) => {
    await lockOrganization(tx, ctx.organizationId);
    const target = await getMember(tx, ctx.organizationId, memberId);
    const leaving = ctx.actor.type === "user" && ctx.actor.id === target.userId;
    if (!leaving) {
      requirePermission(ctx, "members.manage");
      await requireRankAtLeast(tx, ctx, await getRoleRank(tx, target.role));
    }
    if (target.role === "owner" && (await countOwners(tx, ctx.organizationId)) <= 1) {
      throw conflict("The last owner cannot be removed; make another member owner first", "last_owner");
    }
    await tx.delete(member).where(and(eq(member.id, target.id), eq(member.organizationId, ctx.organizationId)));
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: leaving ? "member.left" : "member.removed",
      targetType: "member",
      targetId: target.id,
      targetLabel: target.email,
      before: { userId: target.userId, email: target.email, role: target.role },
      after: null,
    });
  });
}
