import { and, desc, eq } from "drizzle-orm";
import { instanceConfigVersion } from "@/db/schema";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { maskConfig } from "@/lib/instances/config-secrets";
import { requirePermission } from "@/lib/rbac";
import type { TInstanceConfig } from "@/lib/validation/instances";
import { loadInstance } from "./instance-view";

export type TInstanceVersionView = { version: number; config: TInstanceConfig; note: string | null; createdBy: string | null; createdAt: Date; current: boolean };

/** Every configuration version of an instance, newest first, secrets masked. */
export async function findInstanceVersions({ ctx, instanceId }: { ctx: TCtx; instanceId: string }): Promise<TInstanceVersionView[]> {
  requirePermission(ctx, "instance.read");
  const db = ctx.tx ?? getDb();
  const inst = await loadInstance(db, ctx.organizationId, instanceId);
  const rows = await db
    .select()
    .from(instanceConfigVersion)
    .where(and(eq(instanceConfigVersion.instanceId, inst.id), eq(instanceConfigVersion.organizationId, ctx.organizationId)))
    .orderBy(desc(instanceConfigVersion.version))
    .limit(500);
  return rows.map((r) => ({ version: r.version, config: maskConfig(r.config), note: r.note, createdBy: r.createdBy, createdAt: r.createdAt, current: r.version === inst.configVersion }));
}
