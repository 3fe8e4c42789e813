import { and, eq } from "drizzle-orm";
import { instance, instanceConfigVersion } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { openConfig, sealConfig } from "@/lib/instances/config-secrets";
import { requirePermission } from "@/lib/rbac";
import type { TUpdateInstance } from "@/lib/validation/instances";
import { announce } from "./announce";
import { auditSnapshot, clampReplicas, loadInstance, toInstanceView, type TInstanceView } from "./instance-view";

/** JSON with object keys sorted (jsonb does not keep key order). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === "object" && !Array.isArray(val) ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : val,
  );
}

/**
 * Edits an instance. A new configuration becomes version N+1 (secrets sent as "********" keep
 * their stored values) and rolls out through the runtime; switching token auth off (`public`) is
 * recorded in the audit row like every other field.
 */
export async function updateInstance({ ctx, instanceId, input }: { ctx: TCtx; instanceId: string; input: TUpdateInstance }): Promise<TInstanceView> {
  requirePermission(ctx, "instance.write");
  const row = await (ctx.tx ?? getDb()).transaction(async (tx) => {
    const current = await loadInstance(tx, ctx.organizationId, instanceId, { lock: true });
    const set: Partial<typeof instance.$inferInsert> = {};
    if (input.name !== undefined && input.name !== current.name) set.name = input.name;
    if (input.description !== undefined && input.description !== current.description) set.description = input.description;
    if (input.public !== undefined && input.public !== current.public) set.public = input.public;
    const sealed = input.config ? sealConfig(input.config, current.config) : null;
    // Saving the form unchanged (secrets sent back masked) is not a new version.
    if (sealed && canonical(openConfig(sealed)) !== canonical(openConfig(current.config))) {
      const config = sealed;
      const version = current.configVersion + 1;
      const createdBy = ctx.actor.type === "user" ? ctx.actor.id : null;
      await tx.insert(instanceConfigVersion).values({ instanceId: current.id, version, organizationId: ctx.organizationId, config, note: input.note ?? null, createdBy });
      Object.assign(set, { config, configVersion: version, accessMode: config.accessMode, transport: config.transport, replicas: clampReplicas(config, current.replicas) });
    }
    if (!Object.keys(set).length) return null;
    const [updated] = await tx
      .update(instance)
      .set({ ...set, updatedAt: new Date() })
      .where(and(eq(instance.id, current.id), eq(instance.organizationId, ctx.organizationId)))
      .returning();
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "instance.updated",
      targetType: "instance",
      targetId: current.id,
      targetLabel: updated!.name,
      before: auditSnapshot(current),
      after: auditSnapshot(updated!),
    });
    return updated!;
  });
  if (!row) return toInstanceView(await loadInstance(ctx.tx ?? getDb(), ctx.organizationId, instanceId));
  await announce({ kind: "instance", organizationId: ctx.organizationId, instanceId: row.id });
  return toInstanceView(row);
}
