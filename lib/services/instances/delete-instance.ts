import { and, eq } from "drizzle-orm";
import { instance } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";
import { announce } from "./announce";
import { auditSnapshot, loadInstance } from "./instance-view";

/** Deletes an instance with its versions, events and tokens (cascade); the runtime stops it. */
export async function deleteInstance({ ctx, instanceId }: { ctx: TCtx; instanceId: string }): Promise<void> {
  requirePermission(ctx, "instance.write");
  await (ctx.tx ?? getDb()).transaction(async (tx) => {
    const current = await loadInstance(tx, ctx.organizationId, instanceId, { lock: true });
    await tx.delete(instance).where(and(eq(instance.id, current.id), eq(instance.organizationId, ctx.organizationId)));
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "instance.deleted",
      targetType: "instance",
      targetId: current.id,
      targetLabel: current.name,
      before: auditSnapshot(current),
      after: null,
    });
  });
  await announce({ kind: "instance", organizationId: ctx.organizationId, instanceId });
}
