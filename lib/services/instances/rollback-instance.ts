import { and, eq } from "drizzle-orm";
import { instance, instanceConfigVersion } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { maskConfig } from "@/lib/instances/config-secrets";
import { requirePermission } from "@/lib/rbac";
import { announce } from "./announce";
import { clampReplicas, loadInstance, toInstanceView, type TInstanceView } from "./instance-view";

/** Rolls back by copying an earlier version's configuration (secrets included) as a new version. */
export async function rollbackInstance({ ctx, instanceId, version }: { ctx: TCtx; instanceId: string; version: number }): Promise<TInstanceView> {
  requirePermission(ctx, "instance.write");
  const row = await (ctx.tx ?? getDb()).transaction(async (tx) => {
    const current = await loadInstance(tx, ctx.organizationId, instanceId, { lock: true });
    const [old] = Number.isSafeInteger(version)
      ? await tx
          .select()
          .from(instanceConfigVersion)
          .where(and(eq(instanceConfigVersion.instanceId, current.id), eq(instanceConfigVersion.organizationId, ctx.organizationId), eq(instanceConfigVersion.version, version)))
          .limit(1)
      : [];
    if (!old) throw notFound("Configuration version");
    const next = current.configVersion + 1;
    const createdBy = ctx.actor.type === "user" ? ctx.actor.id : null;
    await tx.insert(instanceConfigVersion).values({ instanceId: current.id, version: next, organizationId: ctx.organizationId, config: old.config, note: `rollback to version ${version}`, createdBy });
    const [updated] = await tx
      .update(instance)
      .set({
        config: old.config,
        configVersion: next,
        accessMode: old.config.accessMode,
        transport: old.config.transport,
        replicas: clampReplicas(old.config, current.replicas),
        updatedAt: new Date(),
      })
      .where(and(eq(instance.id, current.id), eq(instance.organizationId, ctx.organizationId)))
      .returning();
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "instance.rolled_back",
      targetType: "instance",
      targetId: current.id,
      targetLabel: current.name,
      before: { configVersion: current.configVersion, config: maskConfig(current.config) },
      after: { configVersion: next, rolledBackTo: version, config: maskConfig(old.config) },
    });
    return updated!;
  });
  await announce({ kind: "instance", organizationId: ctx.organizationId, instanceId: row.id });
  return toInstanceView(row);
}
