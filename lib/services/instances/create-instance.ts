import { instance, instanceConfigVersion } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { sealConfig } from "@/lib/instances/config-secrets";
import { requirePermission } from "@/lib/rbac";
import type { TCreateInstance } from "@/lib/validation/instances";
import { announce } from "./announce";
import { auditSnapshot, clampReplicas, toInstanceView, type TInstanceView } from "./instance-view";

/** Creates an instance with configuration version 1 (secrets sealed), desired to run at once. */
export async function createInstance({ ctx, input }: { ctx: TCtx; input: TCreateInstance }): Promise<TInstanceView> {
  requirePermission(ctx, "instance.write");
  const config = sealConfig(input.config, null);
  const createdBy = ctx.actor.type === "user" ? ctx.actor.id : null;
  const row = await (ctx.tx ?? getDb()).transaction(async (tx) => {
    const [row] = await tx
      .insert(instance)
      .values({
        id: crypto.randomUUID(),
        organizationId: ctx.organizationId,
        name: input.name,
        description: input.description,
        source: input.source,
        accessMode: config.accessMode,
        transport: config.transport,
        config,
        configVersion: 1,
        desiredState: "running",
        replicas: clampReplicas(config, 1),
        public: input.public,
        createdBy,
      })
      .returning();
    await tx.insert(instanceConfigVersion).values({ instanceId: row!.id, version: 1, organizationId: ctx.organizationId, config, note: "created", createdBy });
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "instance.created",
      targetType: "instance",
      targetId: row!.id,
      targetLabel: row!.name,
      after: auditSnapshot(row!),
    });
    return row!;
  });
  await announce({ kind: "instance", organizationId: ctx.organizationId, instanceId: row.id });
  return toInstanceView(row);
}
