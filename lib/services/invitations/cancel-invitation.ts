import { and, eq } from "drizzle-orm";
import { invitation } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { conflict, notFound } from "@/lib/errors";
import { requirePermission } from "@/lib/rbac";

/** Cancels a pending invitation; its link stops working at once. */
export async function cancelInvitation({ ctx, invitationId }: { ctx: TCtx; invitationId: string }): Promise<void> {
  requirePermission(ctx, "members.manage");
  await (ctx.tx ?? getDb()).transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(invitation)
      .where(and(eq(invitation.id, invitationId), eq(invitation.organizationId, ctx.organizationId)))
      .for("update");
    if (!row) throw notFound("Invitation");
    if (row.status !== "pending") throw conflict(`The invitation is already ${row.status}`, "invitation_not_pending");
    await tx.update(invitation).set({ status: "canceled" }).where(and(eq(invitation.id, row.id), eq(invitation.organizationId, ctx.organizationId)));
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "invitation.canceled",
      targetType: "invitation",
      targetId: row.id,
      targetLabel: row.email,
      before: { status: row.status },
      after: { status: "canceled" },
    });
  });
}
