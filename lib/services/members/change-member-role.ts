import { and, eq } from "drizzle-orm";
import { member } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { conflict } from "@/lib/errors";
import { requirePermission } from "@/lib/rbac";
import type { TChangeMemberRole } from "@/lib/validation/members";
import { getMember } from "./get-member";
import { countOwners, getRoleRank, lockOrganization, requireRankAtLeast } from "./guard";

/** Changes a member's role; the last owner cannot be demoted. */
export async function changeMemberRole({ ctx, memberId, input }: { ctx: TCtx; memberId: string; input: TChangeMemberRole }): Promise<{ id: string; role: string }> {
  requirePermission(ctx, "members.manage");
  return (ctx.tx ?? getDb()).transaction(async (tx) => {
    await lockOrganization(tx, ctx.organizationId);
    const target = await getMember(tx, ctx.organizationId, memberId);
    const newRank = await getRoleRank(tx, input.role);
    await requireRankAtLeast(tx, ctx, Math.max(newRank, await getRoleRank(tx, target.role)));
    if (target.role === input.role) return { id: target.id, role: target.role };
    if (target.role === "owner" && (await countOwners(tx, ctx.organizationId)) <= 1) {
      throw conflict("The last owner cannot be demoted; make another member owner first", "last_owner");
    }
    await tx.update(member).set({ role: input.role }).where(and(eq(member.id, target.id), eq(member.organizationId, ctx.organizationId)));
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "member.role_changed",
      targetType: "member",
      targetId: target.id,
      targetLabel: target.email,
      before: { role: target.role },
      after: { role: input.role },
    });
    return { id: target.id, role: input.role };
  });
}
