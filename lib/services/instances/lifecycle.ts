import { and, eq } from "drizzle-orm";
import { instance } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";
import { announce } from "./announce";
import { loadInstance, toInstanceView, type TInstanceRow, type TInstanceView } from "./instance-view";

type TDesired = Pick<TInstanceRow, "desiredState" | "replicas" | "restartGeneration">;

/**
 * Shared body of start/stop/restart/scale: lock the row, compute the new desired state, write it
 * with its audit row, then announce it so the runtime reconciles within moments. A change that
 * changes nothing is neither written nor audited.
 */
export async function changeDesiredState({
  ctx,
  instanceId,
  action,
  next,
}: {
  ctx: TCtx;
  instanceId: string;
  action: string;
  next: (row: TInstanceRow) => Partial<TDesired>;
}): Promise<TInstanceView> {
  requirePermission(ctx, "instance.write");
  const { row, changed } = await (ctx.tx ?? getDb()).transaction(async (tx) => {
    const current = await loadInstance(tx, ctx.organizationId, instanceId, { lock: true });
    const patch = next(current);
    const keys = (Object.keys(patch) as (keyof TDesired)[]).filter((k) => patch[k] !== current[k]);
    if (!keys.length) return { row: current, changed: false };
    const [updated] = await tx
      .update(instance)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(instance.id, current.id), eq(instance.organizationId, ctx.organizationId)))
      .returning();
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action,
      targetType: "instance",
      targetId: current.id,
      targetLabel: current.name,
      before: Object.fromEntries(keys.map((k) => [k, current[k]])),
      after: Object.fromEntries(keys.map((k) => [k, updated![k]])),
    });
    return { row: updated!, changed: true };
  });
  if (changed) await announce({ kind: "instance", organizationId: ctx.organizationId, instanceId: row.id });
  return toInstanceView(row);
}
